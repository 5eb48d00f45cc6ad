import * as iconv from 'iconv-lite';
import { FecFormatError, ProblemList } from './fec-errors';
import type { FecLine } from './fec-line';
import { FecReader } from './fec-reader';
import { asAsync, byteChunks, FEC_HEADER_18, fecText } from './testing/fec-fixture';

async function read(data: Buffer | string, chunk = 7) {
  const problems = new ProblemList(50);
  const reader = new FecReader({ file: 'f.txt', exponent: 2, problems });
  const lines: FecLine[] = [];
  for await (const batch of reader.read(asAsync(byteChunks(data, chunk)))) lines.push(...batch);
  return { lines, problems: problems.items.map((p) => `${p.file}:${p.line}: ${p.field}: ${p.reason}`), info: reader.info };
}

const rows = [
  { num: '1', acct: '411000', aux: 'C001', auxLib: 'Société Générale d’Été', d: '120,00' },
  { num: '1', acct: '706000', c: '120,00' },
];

describe('FecReader', () => {
  it('reads the plain 18-column tab layout', async () => {
    const { lines, problems, info } = await read(fecText(rows));
    expect(problems).toEqual([]);
    expect(info).toMatchObject({ format: 'text', separator: 'tab', columns: 18, amounts: 'debit-credit', encoding: 'utf-8', lines: 3 });
    expect(lines.map((l) => [l.line, l.compteNum, l.compAuxNum, l.amountMinor])).toEqual([
      [2, '411000', 'C001', 12000n],
      [3, '706000', '', -12000n],
    ]);
    expect(lines[0].compAuxLib).toBe('Société Générale d’Été');
    expect(lines[0].ecritureDate).toBe('2024-01-15');
  });

  it('reads UTF-8 with a BOM', async () => {
    const { lines, info } = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(fecText(rows))]), 2);
    expect(info.encoding).toBe('utf-8-bom');
    expect(lines[0].journalCode).toBe('VE');
    expect(lines[0].compAuxLib).toBe('Société Générale d’Été');
  });

  it('reads ISO-8859-15 (é, €) and says so', async () => {
    const text = fecText([{ num: '1', acct: '411000', aux: 'C1', auxLib: 'Café € Crème', d: '1,00' }, { num: '1', acct: '706000', c: '1,00' }]);
    const { lines, info } = await read(iconv.encode(text, 'iso-8859-15'), 5);
    expect(info.encoding).toBe('iso-8859-15');
    expect(lines[0].compAuxLib).toBe('Café € Crème');
  });

  it('reads pure ASCII as ASCII', async () => {
    const { info } = await read(fecText([{ num: '1', acct: '411000', d: '1,00', lib: 'x' }, { num: '1', acct: '706000', c: '1,00', lib: 'x' }]));
    expect(info.encoding).toBe('ascii');
  });

  it.each([
    ['LF', '\n'],
    ['CR LF', '\r\n'],
    ['CR', '\r'],
    ['CR CR LF', '\r\r\n'],
  ])('reads %s line ends, across chunk boundaries, with editor line numbers', async (_name, eol) => {
    for (const chunk of [1, 3, 64]) {
      const { lines, problems } = await read(fecText(rows, { eol }), chunk);
      expect(problems).toEqual([]);
      expect(lines.map((l) => l.line)).toEqual([2, 3]);
    }
  });

  it('reads pipes with a trailing separator, padded fields and a padded, case-insensitive header', async () => {
    const header = FEC_HEADER_18.map((h, i) => (i === 5 ? ' CompteLIB ' : i === 16 ? 'MontantDevise' : h.toUpperCase()));
    const text =
      `${header.join('|')}|\n` +
      'VE  |VE11|00000001|20230109|41100540|CLIENT X          |        |      |VE  0123|20230109|VENTE|0000000074,70|0000000000,00|AB|20230201|20240331|||\n' +
      'VE  |VE11|00000001|20230109|70100000|VENTE             |        |      |VE  0123|20230109|VENTE|0000000000,00|0000000074,70|  |        |20240331|||\n';
    const { lines, problems, info } = await read(text);
    expect(problems).toEqual([]);
    expect(info).toMatchObject({ separator: 'pipe', columns: 18 });
    expect(lines[0]).toMatchObject({ journalCode: 'VE', ecritureNum: '00000001', compteNum: '41100540', compAuxNum: '', pieceRef: 'VE  0123', amountMinor: 7470n, ecritureLet: 'AB', dateLet: '2023-02-01' });
    expect(lines[1]).toMatchObject({ amountMinor: -7470n, ecritureLet: '', dateLet: null });
  });

  it('reads Montant + Sens (D/C and +1/-1)', async () => {
    const header = FEC_HEADER_18.slice(0, 11).concat(['Montant', 'Sens'], FEC_HEADER_18.slice(13));
    const text = [
      header.join('|'),
      'VTE|Ventes|VT1|20240315|411000|Client|C002|Robert|FA3|20240310|Vente|2500,00|D|||20240315||',
      'VTE|Ventes|VT1|20240315|706000|Ventes|||FA3|20240310|Vente|2000,00|-1|||20240315||',
      'VTE|Ventes|VT1|20240315|445710|TVA|||FA3|20240310|Vente|500,00|C|||20240315||',
    ].join('\n');
    const { lines, problems, info } = await read(text);
    expect(problems).toEqual([]);
    expect(info.amounts).toBe('montant-sens');
    expect(lines.map((l) => l.amountMinor)).toEqual([250000n, -200000n, -50000n]);
    expect(lines[0].pieceDate).toBe('2024-03-10');
  });

  it('reads the 21-column (DateRglt, ModeRglt, NatOp) and 22-column (IdClient) layouts', async () => {
    const h21 = [...FEC_HEADER_18, 'DateRglt', 'ModeRglt', 'NatOp'];
    const r21 = await read(fecText(rows, { header: h21, extra: ['20240201', 'VIR', ''] }));
    expect(r21.problems).toEqual([]);
    expect(r21.info.columns).toBe(21);
    expect(r21.lines).toHaveLength(2);
    const r22 = await read(fecText(rows, { header: [...h21, 'IdClient'], extra: ['', '', '', 'CL-9'], sep: '|' }));
    expect(r22.problems).toEqual([]);
    expect(r22.info.columns).toBe(22);
    expect(r22.lines[0].amountMinor).toBe(12000n);
  });

  it('skips a header line repeated inside the file (concatenated exports)', async () => {
    const { lines, problems } = await read(fecText(rows) + fecText(rows));
    expect(problems).toEqual([]);
    expect(lines.map((l) => l.line)).toEqual([2, 3, 5, 6]);
  });

  it('ignores XML namespace prefixes', async () => {
    const xml = '<f:comptabilite xmlns:f="urn:x"><f:exercice><f:journal><f:JournalCode>VE</f:JournalCode><f:ecriture><f:EcritureNum>1</f:EcritureNum>' +
      '<f:EcritureDate>2024-01-02</f:EcritureDate><f:ligne><f:CompteNum>411</f:CompteNum><f:Debit>1.50</f:Debit><f:Credit>0</f:Credit></f:ligne>' +
      '</f:ecriture></f:journal></f:exercice></f:comptabilite>';
    const { lines, problems } = await read(xml);
    expect(problems).toEqual([]);
    expect(lines.map((l) => [l.journalCode, l.compteNum, l.amountMinor])).toEqual([['VE', '411', 150n]]);
  });

  it('reads signed amounts with the sign first or last', async () => {
    const text = fecText([
      { num: '1', acct: '411000', d: '+000000069,40' },
      { num: '1', acct: '706000', d: '69,40-' },
    ]);
    const { lines } = await read(text);
    expect(lines.map((l) => l.amountMinor)).toEqual([6940n, -6940n]);
  });

  it('lists every bad field and column count as file:line: field: reason', async () => {
    const text =
      fecText([
        { num: '1', acct: '411000', d: '12,3x' },
        { num: '1', acct: '706000', c: '1,00', date: '20241332' },
        { num: '2', acct: '', d: '1,00' },
      ]) + 'VE\tJournal\t3\t20240101\n';
    const { problems } = await read(text);
    expect(problems).toEqual([
      'f.txt:2: Debit: not an amount: "12,3x"',
      'f.txt:3: EcritureDate: not a valid date: "20241332"',
      'f.txt:3: PieceDate: not a valid date: "20241332"',
      'f.txt:3: ValidDate: not a valid date: "20241332"',
      'f.txt:4: CompteNum: empty',
      'f.txt:5: line: expected 18 columns, found 4',
    ]);
  });

  it('rejects a file that is not a FEC', async () => {
    await expect(read('hello,world\n1,2\n')).rejects.toThrow(FecFormatError);
    await expect(read('hello,world\n1,2\n')).rejects.toThrow('f.txt:1: header: not a FEC file');
    await expect(read('A\tB\tC\tD\tE\tF\tG\n')).rejects.toThrow('missing columns JournalCode, EcritureNum, EcritureDate, CompteNum, Debit, Credit');
    await expect(read('')).rejects.toThrow('the file is empty');
  });

  it('streams the DGFiP XML layout (entry-level lettering, ISO dates, point decimals)', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<comptabilite>
  <exercice>
    <DateCloture>2024-12-31</DateCloture>
    <journal>
      <JournalCode>VE</JournalCode>
      <JournalLib>Ventes</JournalLib>
      <ecriture>
        <EcritureNum>12</EcritureNum>
        <EcritureDate>2024-01-15</EcritureDate>
        <EcritureLib>Facture Dupont &amp; Fils</EcritureLib>
        <PieceRef>FA12</PieceRef>
        <PieceDate>2024-01-14</PieceDate>
        <EcritureLet>AA</EcritureLet>
        <DateLet>2024-02-10</DateLet>
        <ValidDate>2024-01-15</ValidDate>
        <ligne>
          <CompteNum>411000</CompteNum>
          <CompteLib>Clients</CompteLib>
          <CompAuxNum>DUP</CompAuxNum>
          <CompAuxLib>Dupont &amp; Fils</CompAuxLib>
          <Debit>120.50</Debit>
          <Credit>0.00</Credit>
        </ligne>
        <ligne>
          <CompteNum>706000</CompteNum>
          <CompteLib>Ventes</CompteLib>
          <Montant>120.50</Montant>
          <Sens>C</Sens>
        </ligne>
      </ecriture>
    </journal>
  </exercice>
</comptabilite>`;
    const { lines, problems, info } = await read(xml, 16);
    expect(problems).toEqual([]);
    expect(info.format).toBe('xml');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      journalCode: 'VE', ecritureNum: '12', ecritureDate: '2024-01-15', pieceRef: 'FA12', pieceDate: '2024-01-14',
      compteNum: '411000', compAuxNum: 'DUP', compAuxLib: 'Dupont & Fils', amountMinor: 12050n, ecritureLet: 'AA', dateLet: '2024-02-10',
    });
    expect(lines[1].amountMinor).toBe(-12050n);
  });

  it('reports bad XML lines with their line number and rejects non-FEC XML', async () => {
    const xml = '<comptabilite><exercice><journal><JournalCode>VE</JournalCode><ecriture><EcritureNum>1</EcritureNum>\n' +
      '<EcritureDate>2024-13-01</EcritureDate>\n<ligne><CompteNum>411</CompteNum><Debit>1.00</Debit><Credit>0</Credit></ligne></ecriture></journal></exercice></comptabilite>';
    const { problems } = await read(xml);
    expect(problems).toEqual(['f.txt:3: EcritureDate: not a valid date: "2024-13-01"']);
    await expect(read('<html><body/></html>')).rejects.toThrow('not a FEC file: root element <html>');
  });
});

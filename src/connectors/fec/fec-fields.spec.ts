import { FecFieldError, parseFecAmount, parseFecDate, parseOptionalFecDate, parseSens } from './fec-fields';

describe('FEC fields', () => {
  it.each([
    ['20240131', '2024-01-31'],
    ['2024-02-29', '2024-02-29'],
    ['2024-03-01T00:00:00', '2024-03-01'],
    [' 20230109 ', '2023-01-09'],
    ['31/12/2022', '2022-12-31'],
  ])('reads the date %j', (raw, iso) => expect(parseFecDate(raw)).toBe(iso));

  it.each(['20230229', '20241301', '2024013', 'hier', '00000000'])('rejects the date %j', (raw) => {
    expect(() => parseFecDate(raw)).toThrow(FecFieldError);
  });

  it('treats an empty optional date as none', () => {
    expect(parseOptionalFecDate('   ')).toBeNull();
  });

  it.each([
    ['1200,00', 120000n],
    ['0000000074,70', 7470n],
    ['+000000069,40', 6940n],
    ['69,40-', -6940n],
    ['-12.30', -1230n],
    ['  5,5 ', 550n],
    ['', 0n],
    ['0', 0n],
    ['1234', 123400n],
  ])('reads the amount %j exactly', (raw, minor) => expect(parseFecAmount(raw, 2)).toBe(minor));

  it.each(['12,345', 'abc', '1,2,3', '12-,00'])('rejects the amount %j', (raw) => {
    expect(() => parseFecAmount(raw, 2)).toThrow(FecFieldError);
  });

  it.each([
    ['D', 1], ['d', 1], [' C ', -1], ['+1', 1], ['-1', -1], ['1', 1], ['Crédit', -1], ['Débit', 1],
  ])('reads Sens %j', (raw, sign) => expect(parseSens(raw)).toBe(sign));

  it('rejects an unknown Sens', () => {
    expect(() => parseSens('X')).toThrow('not a direction');
  });
});

import { NOTE_MARKER, qboWriteBackFields } from './qbo-write-back';

describe('QuickBooks write-back fields', () => {
  const update = { message: 'Reminder 2 sent by email on 2026-03-05' };

  it('appends our line to PrivateNote, keeping the user text, and replaces it next time', () => {
    const first = qboWriteBackFields({ PrivateNote: 'Call before delivery' }, update);
    expect(first).toEqual({ PrivateNote: `Call before delivery\n${NOTE_MARKER}Reminder 2 sent by email on 2026-03-05` });
    const second = qboWriteBackFields({ PrivateNote: first!.PrivateNote }, { message: 'Promise to pay on 2026-03-20' });
    expect(second).toEqual({ PrivateNote: `Call before delivery\n${NOTE_MARKER}Promise to pay on 2026-03-20` });
  });

  it('changes nothing when the note already shows the status', () => {
    expect(qboWriteBackFields({ PrivateNote: `${NOTE_MARKER}Reminder 2 sent by email on 2026-03-05` }, update)).toBeNull();
    expect(qboWriteBackFields({}, update)).toEqual({ PrivateNote: `${NOTE_MARKER}Reminder 2 sent by email on 2026-03-05` });
  });

  it('writes a custom field (31 characters at most), keeping the other custom fields', () => {
    const inv = { CustomField: [{ DefinitionId: '1', Name: 'Crew #', Type: 'StringType', StringValue: '7' }, { DefinitionId: '2', Name: 'Dunning', Type: 'StringType' }] };
    expect(qboWriteBackFields(inv, update, '2')).toEqual({
      CustomField: [
        { DefinitionId: '1', Name: 'Crew #', Type: 'StringType', StringValue: '7' },
        { DefinitionId: '2', Type: 'StringType', StringValue: 'Reminder 2 sent by email on 202' },
      ],
    });
    expect(qboWriteBackFields({ CustomField: [{ DefinitionId: '2', StringValue: 'Reminder 2 sent by email on 202' }] }, update, '2')).toBeNull();
  });
});

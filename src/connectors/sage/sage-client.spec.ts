import nock from 'nock';
import { TestClock } from '../../../test/helpers/clock';
import { ClockSleeper } from '../../../test/support/clock-sleeper';
import { ApiClient } from '../../common/http/api-client';
import { PermanentSyncError } from '../connector';
import { SageClient } from './sage-client';

const BASE = 'https://api.sage.test/v3.1';

describe('SageClient.list', () => {
  const client = () => {
    const clock = new TestClock();
    const api = new ApiClient({ baseURL: BASE, connectionId: 'c', logger: { warn: () => undefined }, clock, sleeper: new ClockSleeper(clock) });
    return new SageClient(api, '0d40342d0287cd6b13555c54afca6c90', BASE);
  };

  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it('sends X-Business and reads $items and a relative $next', async () => {
    nock(BASE, { reqheaders: { 'x-business': '0d40342d0287cd6b13555c54afca6c90' } })
      .get('/sales_invoices').query({ items_per_page: '200' })
      .reply(200, { $total: 201, $page: 1, $next: '/sales_invoices?page=2&items_per_page=200', $back: null, $itemsPerPage: 200, $items: [{ id: 'a' }] });
    expect(await client().list('/sales_invoices?items_per_page=200')).toEqual({ items: [{ id: 'a' }], next: '/sales_invoices?page=2&items_per_page=200' });
  });

  it('accepts an absolute $next under the API base, and refuses one elsewhere', async () => {
    nock(BASE).get('/contacts').reply(200, { $items: [], $next: `${BASE}/contacts?page=2` });
    expect((await client().list('/contacts')).next).toBe('/contacts?page=2');
    nock(BASE).get('/contacts').reply(200, { $items: [], $next: 'https://elsewhere.test/v3.1/contacts?page=2' });
    await expect(client().list('/contacts')).rejects.toBeInstanceOf(PermanentSyncError);
  });
});

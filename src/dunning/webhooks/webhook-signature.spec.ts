import { signWebhook, verifyWebhook } from './webhook-signature';

describe('webhook signature', () => {
  it('is HMAC-SHA256 of "<t>.<body>" (known vector)', () => {
    // printf '1767261600.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
    expect(signWebhook('whsec_test', '{"a":1}', 1767261600)).toBe(
      't=1767261600,v1=e6fac3f53cabdd048fde9880e406a6d1848e75ad2d65de55764d299a5ac8659a',
    );
    const h = signWebhook('whsec_test', '{"a":1}', 1767261600);
    expect(verifyWebhook('whsec_test', '{"a":1}', h)).toBe(true);
    expect(verifyWebhook('whsec_test', '{"a":2}', h)).toBe(false);
    expect(verifyWebhook('other', '{"a":1}', h)).toBe(false);
  });
});

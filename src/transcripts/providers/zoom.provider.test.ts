import { describe, expect, it } from 'vitest';
import { inferProvider } from '../media-links.ts';
import { runProviderContract } from '../providers.contract.ts';
import { createZoomProvider } from './zoom.provider.ts';

const SHARE_LINK = 'https://us02web.zoom.us/rec/share/q7Vb3nYtK1xWm9Lp2Rz8sD4fH6jE0cUa.Nw5XoP?pwd=7hRk2LmQ';

runProviderContract(
  'zoom',
  () => ({
    provider: createZoomProvider(),
    permanentFailureRef: { provider: 'zoom', url: SHARE_LINK },
  }),
  { servesRecordings: false },
);

describe('zoom provider', () => {
  it('refuses share links with a permanent provider_unsupported error that explains why', async () => {
    expect(inferProvider(SHARE_LINK)).toBe('zoom');
    const error = await createZoomProvider()
      .fetchTranscript({ provider: 'zoom', url: SHARE_LINK }, {})
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({
      code: 'transcript.provider_unsupported',
      statusCode: 422,
      transient: false,
    });
    expect((error as Error).message).toMatch(/Zoom.*API access.*does not have/);
  });
});

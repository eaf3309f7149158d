import type { DepsOverrides } from '../../src/deps.ts';
import {
  buildFixture,
  type FakeCanvas,
  type FakeCanvasState,
  startFakeCanvas,
} from '../fakes/fake-canvas-server.ts';
import { type FakePanopto, startFakePanopto } from '../fakes/fake-panopto-server.ts';
import { createTestApp, type TestApp } from './test-app.ts';

export interface CanvasEnv {
  canvas: FakeCanvas;
  panopto: FakePanopto;
  t: TestApp;
  close(): Promise<void>;
}

/**
 * A fake Canvas and a fake Panopto on port 0, and the app pointed at them with `token`. The
 * account is `buildFixture` unless `state` builds another from the fake Panopto's origin.
 */
export async function startCanvasEnv(
  token: string,
  state: (panoptoOrigin: string) => FakeCanvasState = (panoptoOrigin) => buildFixture({ panoptoOrigin }),
  overrides: DepsOverrides = {},
): Promise<CanvasEnv> {
  const panopto = await startFakePanopto();
  const canvas = await startFakeCanvas({ token, state: state(panopto.origin) });
  const t = await createTestApp({
    config: { demo: false, canvas: { baseUrl: canvas.baseUrl, token, timeoutMs: 2_000 } },
    overrides,
  });
  return {
    canvas,
    panopto,
    t,
    async close() {
      await t.close();
      await canvas.close();
      await panopto.close();
    },
  };
}

import { closeSoon } from '../../src/auth/closeSoon';

describe('closeSoon', () => {
  it('closes the client on the next turn of the event loop, after the promise work of the answer, not at once', async () => {
    const events: string[] = [];
    const client = { destroy: () => events.push('destroyed') };
    closeSoon(client);
    events.push('returned');
    await Promise.resolve();
    events.push('answer used');
    expect(events).toStrictEqual(['returned', 'answer used']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toStrictEqual(['returned', 'answer used', 'destroyed']);
  });
});

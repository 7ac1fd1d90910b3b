/** The README's library example, kept runnable: if this breaks, fix the README too. */
import { createKernel } from '../../src/kernel/index.js';
import { decodeMessage, encodeMessage } from '../../src/codec/message.js';
import { renderMessage } from '../../src/codec/monitor.js';
import { RTM } from '../../src/abi/constants.js';

test('README: add a route through a routing socket and read the report', () => {
  const add = encodeMessage({
    type: 'RTM_ADD', seq: 1, flags: 0x803,
    sockaddrs: {
      dst: { kind: 'inet', addr: '10.1.2.0', port: 0 },
      gateway: { kind: 'inet', addr: '127.0.0.1', port: 0 },
      netmask: { kind: 'inet', addr: '255.255.255.0', port: 0 },
    },
  }, { dialect: 'openbsd' });
  const kernel = createKernel({ dialect: 'openbsd' });
  const sock = kernel.socket({ pid: 42 });
  expect(sock.write(add)).toBe(144);
  const reply = decodeMessage(sock.read()!);
  expect(reply.type).toBe(RTM.RTM_ADD);
  expect(renderMessage(reply).split('\n')[0]).toBe('RTM_ADD: Add Route: len 192, priority 8, table 0, if# 1, pid: 42, seq 1, errno 0');
});

// Runs the built CLI's route, ifconfig, arp, ndp and device commands in one process over
// argument lists fast-check draws from each command's words (and stray values), on state files
// reset every 60 commands, in both dialects, as root and not. Prints nothing itself: the
// commands write to fds 1 and 2. Writes {"runs", "bugs"} as JSON to the file named by argv[4];
// a bug is a JavaScript engine error (TypeError, RangeError, ...) or a non-error escaping a
// command, or a status that is not a number: what the CLI's last-resort handler would print
// as "rtsock: <message>"; and `statuses`, how many commands ended with which status.
// Usage: node cli-argv-driver.mjs SEED RUNS STATEDIR RESULT.json (CLI_FUZZ_TRACE=FILE lists
// every command with its status).
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

const [seed, runs, dir, result] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4], process.argv[5]];
const dist = new URL('../../dist/cli/', import.meta.url);
const COMMANDS = {
  route: (await import(new URL('route/main.js', dist))).routeCommand,
  ifconfig: (await import(new URL('ifconfig/main.js', dist))).ifconfigCommand,
  arp: (await import(new URL('arp/main.js', dist))).arpCommand,
  ndp: (await import(new URL('ndp/main.js', dist))).ndpCommand,
  device: (await import(new URL('device.js', dist))).deviceCommand,
};

const VALUES = ['default', '10.0.0.1', '10.0.0.0/8', '10.0.0.5', '192.0.2.1/24', '0.0.0.0', '255.255.255.255', '::', '::1',
  '2001:db8::/32', '2001:db8::5', 'fe80::1%lo0', 'fe80::5%vether0', 'fe80::1%nosuch', 'vether0', 'lo0', 'gif0', 'tun0',
  '255.255.0.0', '24', '64', '0', '1', '-1', '256', '65535', '4294967296', '99999999999999999999', 'foo', '', '-', '/',
  '10.0.0.1/33', '1.2.3', '0x0a.1', 'link#2', '00:11:22:33:44:55', 'ff:ff:ff:ff:ff:ff', 'zz:zz', 'x'.repeat(70), '%'];
// Commands that wait for ever (route monitor, ndp -A) or run a program (route exec) are left out.
const ROUTE = ['add', 'delete', 'change', 'get', 'show', 'flush', 'nameserver', 'sourceaddr', '-n', '-q', '-v', '-T',
  '-net', '-host', '-inet', '-inet6', '-link', '-iface', '-interface', '-ifp', '-ifa', '-label', '-priority', '-mpath',
  '-mtu', '-expire', '-lock', '-lockrest', '-reject', '-blackhole', '-static', '-nostatic', '-cloning', '-llinfo',
  '-proto1', '-proto2', '-netmask', '-prefixlen', '-hopcount', '-rtt', '-mpls', '-push', '-pop', '-swap', '-in', '-out'];
const IFCONFIG = ['up', 'down', 'create', 'destroy', 'inet', 'inet6', 'alias', '-alias', 'delete', 'netmask', 'prefixlen',
  'broadcast', 'mtu', 'metric', 'rdomain', '-rdomain', 'priority', 'llprio', 'lladdr', 'vnetid', '-vnetid', 'parent',
  '-parent', 'description', '-description', 'rtlabel', '-rtlabel', 'tunnel', '-tunnel', 'tunneldomain', 'tunnelttl',
  'debug', '-debug', 'arp', '-arp', 'staticarp', 'link0', '-inet', '-inet6', 'eui64', 'group', '-group', 'autoconf', '-autoconf',
  'temporary', '-temporary', 'soii', '-soii', 'monitor', '-monitor', 'autoconfprivacy', '-autoconfprivacy', 'anycast', '-anycast',
  'tentative', '-tentative', 'pltime', 'vltime', 'mpls', '-mpls', 'wol', '-wol', 'tcplro', '-tcplro', 'txprio', 'rxprio'];
const ARP = ['-a', '-d', '-n', '-s', '-F', '-V', 'temp', 'permanent', 'pub'];
const NDP = ['-a', '-c', '-d', '-n', '-s', '-i', '-t', '-V', 'temp', 'proxy'];
const NAMES = ['vether0', 'vether1', 'lo0', 'lo5', 'gif0', 'vlan5', 'tun0', 'tap0', 'foo0', 'lo', '-a'];

const words = (vocab) => fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...vocab) }, { weight: 2, arbitrary: fc.constantFrom(...VALUES) }), { maxLength: 7 });
const pick = (...xs) => fc.constantFrom(...xs);
const opt = (arb) => fc.option(arb, { nil: undefined });
const flat = (parts) => parts.flat(2).filter((x) => x !== undefined);

// Argument lists shaped like each command's grammar (most), and word soup (the rest).
const ADDRS = ['10.0.0.5', '10.0.0.0/8', '10.1.0.0/16', '192.0.2.7', 'default', '2001:db8::5', '2001:db8:1::/48',
  'fe80::5%vether0', '::/0', '127.0.0.1', '10.0.0.1', '0.0.0.0/0', '224.0.0.1', '10.0.0.255', 'foo'];
const GWS = ['10.0.0.2', '10.0.0.1', '192.0.2.1', '2001:db8::2', 'fe80::2%vether0', 'vether0', 'lo0', '127.0.0.1', '::1', '00:11:22:33:44:55'];
const VALUED = {
  '-label': pick('foo', 'bar', 'x'.repeat(40)), '-priority': pick('0', '1', '8', '20', '63', '64', 'static', 'bgp', '-1'),
  '-mtu': pick('0', '1400', '99999999999'), '-expire': pick('0', '100', '-5'), '-ifp': pick('vether0', 'lo0', 'nosuch0'),
  '-ifa': pick('10.0.0.1', '2001:db8::1', '1.1.1.1'), '-netmask': pick('255.255.0.0', '255.0.255.0', 'ffff::'),
  '-prefixlen': pick('0', '8', '24', '64', '129'), '-hopcount': pick('1'), '-rtt': pick('1'),
};
const modifier = fc.oneof(pick(...ROUTE.slice(ROUTE.indexOf('-net'))), fc.constantFrom(...Object.keys(VALUED)).chain((m) => VALUED[m].map((v) => [m, v])));
const routeArgs = fc.tuple(fc.subarray(['-n', '-q']), fc.oneof({ weight: 7, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.tuple(fc.constant('-T'), pick('0', '5', '9')) }),
  pick('add', 'add', 'add', 'delete', 'change', 'get', 'get', 'show', 'flush', 'sourceaddr', 'nameserver'),
  fc.array(modifier, { maxLength: 3 }), pick(...ADDRS), opt(pick(...GWS)), fc.array(modifier, { maxLength: 1 })).map(flat);
const IFVALUE = { netmask: pick('255.255.255.0', '0xffff0000', 'bogus'), prefixlen: pick('24', '64', '129'),
  broadcast: pick('10.0.0.255', 'nowhere'), mtu: pick('1280', '1500', '9999999'), metric: pick('0', '7', '-1'),
  rdomain: pick('0', '5', '256'), priority: pick('0', '15', '16'), llprio: pick('3', '8'), lladdr: pick('00:11:22:33:44:55', 'zz'),
  vnetid: pick('5', '4095', '0'), parent: pick('vether0', 'gif0', 'nosuch0'), description: pick('uplink', 'x'.repeat(70)),
  rtlabel: pick('foo', 'x'.repeat(40)), tunneldomain: pick('0', '5'), tunnelttl: pick('64', 'copy', '0'), group: pick('dmz', 'egress', 'g1'),
  '-group': pick('dmz', 'vether', 'nothere'), pltime: pick('0', '30', '1000001', 'x'), vltime: pick('0', '60', '1000000', '-1'),
  txprio: pick('packet', 'payload', '7', '8'), rxprio: pick('outer', 'payload', '0', '-1') };
const ifParam = fc.oneof(pick(...IFCONFIG), fc.constantFrom(...Object.keys(IFVALUE)).chain((k) => IFVALUE[k].map((v) => [k, v])),
  fc.tuple(fc.constant('tunnel'), pick('10.0.0.1', '2001:db8::1'), pick('198.51.100.1', '2001:db8::2', 'foo')));
const ifconfigArgs = fc.tuple(pick(...NAMES), fc.array(ifParam, { maxLength: 3 }),
  opt(pick('10.0.0.9/24', '10.2.3.4', '192.0.2.3/32', '2001:db8::9/64', 'fe80::9%vether0', '10.5.5.5', '203.0.113.1/30')),
  opt(pick('10.0.0.10', '2001:db8::10', 'alias', '-alias', 'delete'))).map(flat);
// What ifconfig shows: the leading options, a group, a name without a unit, a family word.
const ifconfigShowArgs = fc.oneof(
  fc.tuple(pick('-a', '-A', '-C', '-aC', '-gA', '-', '-M', '-x'), opt(pick('inet', 'inet6', 'vether0', 'fe:e1:ba:d0:00:02'))).map(flat),
  fc.tuple(fc.constant('-g'), pick('dmz', 'vether', 'egress', 'nothere', 'all'), opt(pick('carpdemote', '-carpdemote', 'demote')), opt(pick('1', '128', '129', 'x'))).map(flat),
  fc.tuple(pick('dmz', 'vether', 'egress', 'all', 'veth', 'lo', 'gif', 'nothere', 'x'.repeat(16)), opt(pick('inet', 'inet6'))).map(flat));
const arpArgs = fc.oneof(
  fc.tuple(fc.constant('-s'), pick('10.0.0.7', '10.0.0.1', '192.0.2.9', 'foo'), pick('00:11:22:33:44:55', 'zz', 'ff:ff:ff:ff:ff:ff'), opt(pick('temp', 'permanent', 'pub'))).map(flat),
  fc.tuple(fc.constant('-d'), pick('10.0.0.7', '10.0.0.1', '-a', 'foo')).map(flat),
  fc.tuple(pick('-a', '-an'), opt(fc.tuple(fc.constant('-V'), pick('0', '5', '300')))).map(flat),
  pick('10.0.0.7', '10.0.0.1', '10.0.0.2').map((a) => [a]));
const ndpArgs = fc.oneof(
  fc.tuple(fc.constant('-s'), pick('2001:db8::7', 'fe80::7%vether0', 'foo'), pick('00:11:22:33:44:55', 'zz'), opt(pick('temp', 'proxy'))).map(flat),
  fc.tuple(fc.constant('-d'), pick('2001:db8::7', '2001:db8::1', 'fe80::7%vether0')).map(flat),
  fc.tuple(pick('-a', '-an', '-c', '-i'), opt(fc.constant('vether0'))).map(flat),
  pick('2001:db8::7', '2001:db8::1').map((a) => [a]));
const step = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constant('route'), routeArgs) },
  { weight: 4, arbitrary: fc.tuple(fc.constant('ifconfig'), ifconfigArgs) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('ifconfig'), ifconfigShowArgs) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('arp'), arpArgs) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('ndp'), ndpArgs) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('device'), fc.tuple(opt(fc.tuple(fc.constant('-T'), pick('0', '5', '7', '256', 'x'))), pick('open', 'close', 'x'), pick(...NAMES)).map(([t, v, n]) => [...(t ?? []), v, n])) },
  { weight: 2, arbitrary: fc.tuple(pick('route', 'ifconfig', 'arp', 'ndp'), fc.constant(null)).chain(([c]) =>
    (c === 'ifconfig' ? fc.tuple(pick(...NAMES), words(IFCONFIG)).map(([n, w]) => [n, ...w]) : words(c === 'route' ? ROUTE : c === 'arp' ? ARP : NDP)).map((w) => [c, w])) },
);
const session = fc.record({ dialect: fc.constantFrom('openbsd', 'openbsd-4.9'), root: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), steps: fc.array(step, { minLength: 60, maxLength: 60 }) });

const bugs = [];
/** Commands by "<command> <status>": what the run exercised. */
const statuses = {};
let done = 0;
for (const s of fc.sample(session, { seed, numRuns: Math.ceil(runs / 60) })) {
  const state = join(dir, 'kernel.json');
  rmSync(state, { force: true });
  Object.assign(process.env, { RTSOCK_STATE: state, RTSOCK_DIALECT: s.dialect, RTSOCK_UID: '', RTSOCK_PID: '4242' });
  await COMMANDS.ifconfig(['vether0', '10.0.0.1/24', 'up']);
  await COMMANDS.ifconfig(['vether0', 'inet6', '2001:db8::1/64']);
  process.env.RTSOCK_UID = s.root ? '' : '1000';
  for (const [cmd, argv] of s.steps) {
    if (done >= runs) break;
    done++;
    try {
      const status = await COMMANDS[cmd](argv);
      if (typeof status !== 'number') bugs.push({ dialect: s.dialect, cmd, argv, error: `status ${String(status)}` });
      statuses[`${cmd} ${status}`] = (statuses[`${cmd} ${status}`] ?? 0) + 1;
      if (process.env.CLI_FUZZ_TRACE) appendFileSync(process.env.CLI_FUZZ_TRACE, `${status} ${cmd} ${JSON.stringify(argv)}\n`);
    } catch (e) {
      const engine = e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError;
      if (engine || !(e instanceof Error)) bugs.push({ dialect: s.dialect, cmd, argv, error: String(e?.stack ?? e).split('\n').slice(0, 3).join(' | ') });
    }
  }
}
writeFileSync(result, JSON.stringify({ runs: done, bugs, statuses }));

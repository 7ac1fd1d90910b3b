/**
 * Interface groups (if.c if_addgroup, if_delgroup, if_group_egress_build): `all` and the
 * cloner's group from creation, SIOCAIFGROUP/SIOCDIFGROUP, and `egress` rebuilt from table 0's
 * default routes whenever one is added or deleted (if_group_routechange), never announced.
 */
import { AF_ROUTE, RTABLE_ANY, ROUTE_TABLEFILTER } from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { restoreKernel, snapshotKernel } from '../../src/kernel/state.js';
import { DIALECTS, drain, errnoOf, routeMsg, type DialectArg } from './helpers.js';

function boot(d: DialectArg): { k: Kernel; s: RoutingSocket } {
  const k = createKernel({ dialect: d });
  for (const [name, addr] of [['vether0', '10.0.0.1/24'], ['vether1', '10.1.0.1/24']] as const) {
    k.ifconfig.create(name);
    k.ifconfig.up(name);
    k.ifconfig.addAddress(name, addr);
  }
  k.ifconfig.addAddress('vether1', '2001:db8:1::1/64');
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  drain(d, s);
  return { k, s };
}

const groups = (k: Kernel, name: string) => k.ifconfig.get(name)!.groups;

describe.each(DIALECTS)('interface groups (%s)', (d) => {
  it('every interface is in `all` and its cloner\'s group; added groups follow; errnos as if_addgroup/if_delgroup', () => {
    const { k, s } = boot(d);
    expect(groups(k, 'lo0')).toEqual(['all', 'lo']);
    expect(groups(k, 'vether0')).toEqual(['all', 'vether']);
    k.ifconfig.addGroup('vether0', 'dmz');
    k.ifconfig.addGroup('vether0', 'inside');
    expect(groups(k, 'vether0')).toEqual(['all', 'vether', 'dmz', 'inside']);
    expect(errnoOf(() => k.ifconfig.addGroup('vether0', 'dmz'))).toBe(ERRNO.EEXIST);
    expect(errnoOf(() => k.ifconfig.addGroup('vether0', 'net1'))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.addGroup('vether0', 'x'.repeat(16)))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.deleteGroup('vether0', 'nothere'))).toBe(ERRNO.ENOENT);
    expect(errnoOf(() => k.ifconfig.addGroup('vether9', 'dmz'))).toBe(ERRNO.ENOENT);
    k.ifconfig.deleteGroup('vether0', 'dmz');
    // The cloner's group can go too: if_delgroup has no exception.
    k.ifconfig.deleteGroup('vether0', 'vether');
    expect(groups(k, 'vether0')).toEqual(['all', 'inside']);
    expect(drain(d, s)).toEqual([]);
  });

  it('egress: the interfaces of table 0\'s default routes, both families, rebuilt on every default route added or deleted', () => {
    const { k, s } = boot(d);
    k.ifconfig.addGroup('vether0', 'dmz');
    s.write(routeMsg(d, { dst: '0.0.0.0', plen: 0, gw: '10.0.0.2' }));
    expect(groups(k, 'vether0')).toEqual(['all', 'vether', 'dmz', 'egress']);
    expect(groups(k, 'vether1')).toEqual(['all', 'vether']);
    s.write(routeMsg(d, { dst: '::', plen: 0, gw: '2001:db8:1::2' }));
    expect(groups(k, 'vether1')).toEqual(['all', 'vether', 'egress']);
    // A group added later sits after egress until the next rebuild moves egress to the end.
    k.ifconfig.addGroup('vether0', 'late');
    expect(groups(k, 'vether0')).toEqual(['all', 'vether', 'dmz', 'egress', 'late']);
    s.write(routeMsg(d, { type: 'RTM_DELETE', dst: '::', plen: 0, flags: 0 }));
    expect(groups(k, 'vether0')).toEqual(['all', 'vether', 'dmz', 'late', 'egress']);
    expect(groups(k, 'vether1')).toEqual(['all', 'vether']);
  });

  it('another table\'s default route, a non-default route and RTM_CHANGE leave egress as it is', () => {
    const { k, s } = boot(d);
    s.write(routeMsg(d, { dst: '0.0.0.0', plen: 0, gw: '10.0.0.2' }));
    s.write(routeMsg(d, { dst: '192.0.2.0', plen: 24, gw: '10.1.0.2' }));
    // Table 5 (rdomain 0's too): its default route rebuilds egress from table 0 alone.
    s.write(routeMsg(d, { dst: '0.0.0.0', plen: 0, gw: '10.1.0.2', tableid: 5 }));
    expect(groups(k, 'vether1')).toEqual(['all', 'vether']);
    expect(groups(k, 'vether0')).toContain('egress');
    // rtrequest is not called for a change: egress keeps the interface the route left.
    s.write(routeMsg(d, { type: 'RTM_CHANGE', dst: '0.0.0.0', plen: 0, gw: '10.1.0.2' }));
    expect(groups(k, 'vether0')).toContain('egress');
    expect(groups(k, 'vether1')).not.toContain('egress');
    s.write(routeMsg(d, { type: 'RTM_DELETE', dst: '0.0.0.0', plen: 0, flags: 0 }));
    expect(groups(k, 'vether0')).not.toContain('egress');
  });

  it('groups are kept in a kernel snapshot, and go with a destroyed interface', () => {
    const { k, s } = boot(d);
    k.ifconfig.addGroup('vether1', 'dmz');
    s.write(routeMsg(d, { dst: '0.0.0.0', plen: 0, gw: '10.1.0.2' }));
    const k2 = restoreKernel(JSON.parse(JSON.stringify(snapshotKernel(k))));
    expect(groups(k2, 'vether1')).toEqual(['all', 'vether', 'dmz', 'egress']);
    expect(groups(k2, 'vether0')).toEqual(['all', 'vether']);
    k.ifconfig.destroy('vether1');
    k.ifconfig.create('vether1');
    expect(groups(k, 'vether1')).toEqual(['all', 'vether']);
  });

  it('a snapshot saved before groups were kept (no `groups` anywhere) gets egress from its default routes', () => {
    const { k, s } = boot(d);
    s.write(routeMsg(d, { dst: '0.0.0.0', plen: 0, gw: '10.1.0.2' }));
    const old = JSON.parse(JSON.stringify(snapshotKernel(k))) as { interfaces: { groups?: string[] }[]; groupMembers?: unknown };
    for (const i of old.interfaces) delete i.groups;
    delete old.groupMembers;
    const k2 = restoreKernel(old as never);
    expect(groups(k2, 'vether1')).toEqual(['all', 'vether', 'egress']);
  });

  it('a group lists its members in the order they joined (SIOCGIFGMEMB); ENOENT for no such group', () => {
    const { k } = boot(d);
    k.ifconfig.create('vether2');
    expect(k.ifconfig.groupMembers('vether')).toEqual(['vether0', 'vether1', 'vether2']);
    expect(k.ifconfig.groupMembers('all')).toEqual(['lo0', 'vether0', 'vether1', 'vether2']);
    k.ifconfig.addGroup('vether2', 'dmz');
    k.ifconfig.addGroup('vether0', 'dmz');
    expect(k.ifconfig.groupMembers('dmz')).toEqual(['vether2', 'vether0']);
    // Leaving and joining again goes to the end; the last member leaving ends the group.
    k.ifconfig.deleteGroup('vether2', 'dmz');
    k.ifconfig.addGroup('vether2', 'dmz');
    expect(k.ifconfig.groupMembers('dmz')).toEqual(['vether0', 'vether2']);
    k.ifconfig.deleteGroup('vether0', 'vether');
    k.ifconfig.addGroup('vether0', 'vether');
    expect(k.ifconfig.groupMembers('vether')).toEqual(['vether1', 'vether2', 'vether0']);
    // if_detach: a destroyed interface leaves them all.
    k.ifconfig.destroy('vether2');
    expect(k.ifconfig.groupMembers('dmz')).toEqual(['vether0']);
    k.ifconfig.deleteGroup('vether0', 'dmz');
    expect(errnoOf(() => k.ifconfig.groupMembers('dmz'))).toBe(ERRNO.ENOENT);
    expect(errnoOf(() => k.ifconfig.groupMembers('nothere'))).toBe(ERRNO.ENOENT);
  });

  it('egress members in the order if_group_egress_build adds them: IPv4 default route\'s interface, then IPv6\'s', () => {
    const { k, s } = boot(d);
    s.write(routeMsg(d, { dst: '::', plen: 0, gw: '2001:db8:1::2' }));
    s.write(routeMsg(d, { dst: '0.0.0.0', plen: 0, gw: '10.0.0.2' }));
    expect(k.ifconfig.groupMembers('egress')).toEqual(['vether0', 'vether1']);
    s.write(routeMsg(d, { type: 'RTM_DELETE', dst: '0.0.0.0', plen: 0, flags: 0 }));
    expect(k.ifconfig.groupMembers('egress')).toEqual(['vether1']);
  });

  it('carp demotion (SIOCSIFGATTR): a counter per group, 0..255 or EINVAL, gone with the group', () => {
    const { k, s } = boot(d);
    k.ifconfig.addGroup('vether0', 'dmz');
    expect(k.ifconfig.groupDemotion('dmz')).toBe(0);
    k.ifconfig.demoteGroup('dmz', 128);
    k.ifconfig.demoteGroup('dmz', 127);
    expect(k.ifconfig.groupDemotion('dmz')).toBe(255);
    expect(errnoOf(() => k.ifconfig.demoteGroup('dmz', 1))).toBe(ERRNO.EINVAL);
    k.ifconfig.demoteGroup('dmz', -200);
    expect(errnoOf(() => k.ifconfig.demoteGroup('dmz', -56))).toBe(ERRNO.EINVAL);
    expect(k.ifconfig.groupDemotion('dmz')).toBe(55);
    expect(errnoOf(() => k.ifconfig.demoteGroup('nothere', 1))).toBe(ERRNO.ENOENT);
    expect(errnoOf(() => k.ifconfig.groupDemotion('nothere'))).toBe(ERRNO.ENOENT);
    const k2 = restoreKernel(JSON.parse(JSON.stringify(snapshotKernel(k))));
    expect(k2.ifconfig.groupDemotion('dmz')).toBe(55);
    k.ifconfig.deleteGroup('vether0', 'dmz');
    k.ifconfig.addGroup('vether1', 'dmz');
    expect(k.ifconfig.groupDemotion('dmz')).toBe(0);
    expect(drain(d, s)).toEqual([]);
  });

  it('member order survives a snapshot; an older one (no member lists) takes index order; a bad list is refused', () => {
    const { k } = boot(d);
    k.ifconfig.addGroup('vether1', 'dmz');
    k.ifconfig.addGroup('vether0', 'dmz');
    const snap = JSON.parse(JSON.stringify(snapshotKernel(k))) as { groupMembers?: [string, number[], number][] };
    expect(restoreKernel(snap as never).ifconfig.groupMembers('dmz')).toEqual(['vether1', 'vether0']);
    const old = { ...snap };
    delete old.groupMembers;
    expect(restoreKernel(old as never).ifconfig.groupMembers('dmz')).toEqual(['vether0', 'vether1']);
    const bad = { ...snap, groupMembers: snap.groupMembers!.map(([n, m, c]) => [n, n === 'dmz' ? m.slice(1) : m, c]) };
    expect(() => restoreKernel(bad as never)).toThrow(/inconsistent kernel state/);
    const badCount = { ...snap, groupMembers: snap.groupMembers!.map(([n, m]) => [n, m, 256]) };
    expect(() => restoreKernel(badCount as never)).toThrow(/inconsistent kernel state/);
  });

  it('the cloners (SIOCIFGCLONERS) are the dialect\'s interface kinds, last attached first', () => {
    const { k } = boot(d);
    expect(k.ifconfig.cloners()).toEqual(d === 'openbsd' ? ['tap', 'tun', 'gif', 'svlan', 'vlan', 'vether', 'lo'] : ['tun', 'gif', 'vlan', 'vether', 'lo']);
  });
});

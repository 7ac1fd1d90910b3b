/**
 * ifconfig(8)-level operations on the model: clone/destroy, up/down, link state, addresses
 * (with their local/connected/broadcast routes and messages, semantics §E) and rdomains.
 * Parts live beside it: an address's initialisation (address-init.ts) and routes
 * (address-routes.ts), vlan(4)'s driver (vlan.ts), gif tunnels (tunnel.ts), header
 * priorities (hdrprio.ts), tun/tap devices (tun-device.ts), rdomain moves (rdomain.ts).
 */
import {
  EVL_ENCAPLEN, EVL_VLID_MAX, EVL_VLID_MIN, IFAN_ARRIVAL, IFDESCRSIZE, IFAN_DEPARTURE, IFF_BROADCAST, IFF_CANTCHANGE, IFF_MULTICAST, IFF_RUNNING, IFF_UP, IFQ_MAXPRIO, IFT_ETHER, IFQ_MINPRIO, IF_PRIORITY_MAX, IN6_IFF_AUTOCONF,
  IPV6_MMTU, RT_TABLEID_MAX, RTLABEL_LEN, LINK_STATE_DOWN,
} from './constants.js';
import { dadWanted } from './dad.js';
import { AddressRoutes } from './address-routes.js';
import { inet6Request, parseCidr, type AddressOptions } from './address-request.js';
import { checkLifetimes, checkRequest } from './in6-lifetime.js';
import { linkLocalAddress } from './in6-ifid.js';
import { RtsockErrno, fail } from './errno.js';
import { hdrPrioOf, setHdrPrio } from './hdrprio.js';
import { Interface, kindNamed, xflagsWord, type IfAddr } from './interface.js';
import type { Kernel } from './kernel.js';
import { bytesEqual, isLinkLocal6, parseAddress, type Family } from './sockaddr-bytes.js';
import { isRdomainLoopback, Rdomains } from './rdomain.js';
import { TunDevices } from './tun-device.js';
import { TunnelIoctls, type TunnelAddresses, type TunnelParameters } from './tunnel.js';
import { VlanDriver } from './vlan.js';
import { AddressInit } from './address-init.js';

export interface InterfaceInfo {
  index: number;
  name: string;
  flags: number;
  mtu: number;
  linkState: number;
  rdomain: number;
  /** if_priority (SIOCSIFPRIORITY) and if_llprio (SIOCSIFLLPRIO). */
  priority: number;
  llprio: number;
  /** if_description (SIOCSIFDESCR; '' = none). */
  description: string;
  /** if_metric (SIOCSIFMETRIC). */
  metric: number;
  /** if_groups, `all` first. */
  groups: string[];
  addresses: string[];
}

export class Ifconfig {
  /** Next interface index to hand out (public so a kernel snapshot can restore it). */
  nextIndex = 1;
  private readonly routes: AddressRoutes;
  private readonly tunnels: TunnelIoctls;
  private readonly devices: TunDevices;
  private readonly rdomains: Rdomains;
  private readonly vlans: VlanDriver;
  private readonly addresses: AddressInit;
  constructor(private readonly k: Kernel) {
    this.routes = new AddressRoutes(k);
    this.vlans = new VlanDriver({ byName: (name) => this.byName(name), interfaces: () => k.interfaces.values() });
    this.addresses = new AddressInit(k, { routes: this.routes, vlans: this.vlans, ifUp: (ifp) => this.ifUp(ifp) });
    this.tunnels = new TunnelIoctls(k, (ifp) => this.ifUp(ifp));
    this.devices = new TunDevices({
      kinds: () => k.policy.interfaceKinds, byName: (name) => this.byName(name), create: (name) => this.create(name),
      destroy: (name) => this.destroy(name), ifUp: (ifp) => this.ifUp(ifp), linkChanged: (ifp) => this.stateChanged(ifp),
      rdomainOfTable: (rtable) => k.rdomainOf(rtable) ?? 0, setRdomain: (ifp, rdomain) => this.rdomains.set(ifp, rdomain),
    });
    this.rdomains = new Rdomains(k, {
      byName: (name) => this.byName(name), create: (name) => this.create(name), ifDown: (ifp) => this.ifDown(ifp),
      ifUp: (ifp) => this.ifUp(ifp), detachAddresses: (ifp) => this.detachAddresses(ifp), detachInet6: (ifp) => this.detachInet6(ifp),
    });
  }

  /** The interface named `name`, if attached. */
  interfaceNamed(name: string): Interface | undefined {
    return this.byName(name);
  }

  private byName(name: string): Interface | undefined {
    for (const ifp of this.k.interfaces.values()) if (ifp.name === name) return ifp;
    return undefined;
  }

  private need(name: string): Interface {
    return this.byName(name) ?? fail('ENOENT', `no interface ${name}`);
  }

  private announce(ifp: Interface, what: number): void {
    if (this.k.hasSockets()) this.k.broadcast(this.k.messages.announce(ifp, what), 0);
  }

  private ifinfo(ifp: Interface): void {
    if (this.k.hasSockets()) this.k.broadcast(this.k.messages.ifinfo(ifp), 0);
  }

  get(name: string): InterfaceInfo | undefined {
    const ifp = this.byName(name);
    if (!ifp) return undefined;
    return {
      index: ifp.index, name: ifp.name, flags: ifp.flags, mtu: ifp.mtu, linkState: ifp.linkState, rdomain: ifp.rdomain,
      priority: ifp.priority, llprio: ifp.llprio, description: ifp.description, metric: ifp.metric, groups: [...ifp.groups], addresses: ifp.addrs.map((a) => `${formatIfAddr(a)}/${a.plen}`),
    };
  }

  list(): InterfaceInfo[] {
    return [...this.k.interfaces.values()].map((i) => this.get(i.name)!);
  }

  /** Index of an interface by name (if_nametoindex), 0 if none. */
  indexOf(name: string): number {
    return this.byName(name)?.index ?? 0;
  }

  /**
   * SIOCIFCREATE: clones <kind><N> for a kind the dialect has (DialectPolicy.interfaceKinds: lo,
   * vether, vlan, gif, tun, and tap in current); announces IFAN_ARRIVAL.
   */
  create(name: string): Interface {
    if (this.byName(name)) fail('EEXIST', name);
    const kind = kindNamed(this.k.policy.interfaceKinds, name);
    if (!kind) fail('EINVAL', `${name} is not a clonable interface`);
    const index = this.nextIndex++;
    const lladdr = kind.zeroLladdr ? new Uint8Array(6) : kind.hasLladdr ? Uint8Array.of(0xfe, 0xe1, 0xba, 0xd0, (index >> 8) & 0xff, index & 0xff) : new Uint8Array(0);
    const ifp = new Interface(index, name, kind, lladdr);
    this.k.interfaces.set(index, ifp);
    this.k.groups.attach(ifp);
    this.announce(ifp, IFAN_ARRIVAL);
    return ifp;
  }

  /**
   * SIOCIFDESTROY (if_clone_destroy, if_detach): if_down when up — called directly, not through
   * SIOCSIFFLAGS, so IFF_UP alone is cleared and RTM_IFINFO still carries IFF_RUNNING (if.c
   * 1.741 if_clone_destroy; 4.9's alike, as 1.237, the nearest stored revision, has it) —; the
   * driver's destroy (a tun's open device: TunDevices.destroyed); if_remove takes the interface
   * out of the index map first, so that while its addresses are purged (in_ifdetach, then
   * in6_ifdetach) if_get finds it no more — rtm_send's messages leave IFP and IFA out and
   * rtflushclone leaves its clones to rt_ifa_purge; then IFAN_DEPARTURE. The purges take every
   * route on one of its addresses, except a route of the other family given one by RTA_IFA
   * (rt_ifa_purge walks the address's family): it stays, on an interface if_get no longer finds.
   * 4.9's if_detach (if.c 1.237) removes the routes with rt_if_remove and runs in6_ifdetach
   * while the interface is still listed, then drops its addresses without a message
   * (`DialectPolicy.ifDetach`); a route rt_if_remove misses (another table's) stays likewise.
   */
  destroy(name: string): void {
    const ifp = this.need(name);
    if (ifp.name === 'lo0') fail('EPERM', 'lo0 cannot be destroyed');
    // loop_clone_destroy: an rdomain's own loopback (alone in it) gives its table back to
    // rdomain 0 (rtable_l2set(rdomain, 0, 0)) once detached. 4.9's knows lo0 alone.
    const ownLoopback = this.k.policy.rdomains === 'if_setrdomain' && isRdomainLoopback(ifp);
    if (ownLoopback && [...this.k.interfacesIn(ifp.rdomain)].length > 1) fail('EBUSY', 'rdomain still in use');
    const ownTable = ownLoopback ? this.k.table(ifp.rdomain) : undefined;
    if (ifp.isUp) this.ifDown(ifp);
    this.devices.destroyed(ifp);
    this.detach(ifp);
    if (ownTable) ownTable.rdomain = 0;
  }

  /** if_detach: the detach hooks (vlans on the interface), the routes and addresses, IFAN_DEPARTURE. */
  private detach(ifp: Interface): void {
    this.vlanDetachHooks(ifp);
    if (this.k.policy.ifDetach === 'rt_if_remove') {
      // 4.9's if_detach: the routes, then in6_ifdetach, with the interface still listed.
      this.rdomains.removeRoutesAndInet6(ifp);
      this.k.interfaces.delete(ifp.index);
      ifp.addrs.length = 0;
    } else {
      this.k.interfaces.delete(ifp.index);
      this.detachAddresses(ifp);
    }
    this.k.groups.detach(ifp);
    this.announce(ifp, IFAN_DEPARTURE);
    // The link-state tasks vlan_down queued run once the detach is over.
    this.runLinkTasks();
  }

  /**
   * The vlans' detach hooks on `parent` (DialectPolicy.vlanParentDetach): 4.9's destroy each vlan,
   * current's bring a running one down and leave every vlan without a parent (vlan_ifdetach:
   * its link task runs after the parent's detach). Several vlans on one parent go highest index
   * first (the kernel runs the most recently hooked first; the model keeps no such order). A
   * vlan that is its own parent has no hook run on itself here.
   */
  private vlanDetachHooks(parent: Interface): void {
    const vlans = [...this.k.interfaces.values()]
      .filter((v) => v !== parent && v.kind.encap !== undefined && v.parent === parent.name)
      .sort((a, b) => b.index - a.index);
    for (const v of vlans) {
      if (this.k.policy.vlanParentDetach === 'destroy') {
        if (this.k.interfaces.get(v.index) === v) this.detach(v);
      } else {
        this.vlans.parentDetached(v);
      }
    }
  }

  /**
   * The link-state tasks vlan(4) queued (if_linkstate_task: RTM_IFINFO, rt_if_track and the
   * interface's own link hooks), in order, until none is left; if_detach deletes a detached
   * interface's task.
   */
  private runLinkTasks(): void {
    for (let tasks = this.vlans.takeLinkTasks(); tasks.length > 0; tasks = this.vlans.takeLinkTasks()) {
      for (const v of tasks) if (this.k.interfaces.get(v.index) === v) this.stateChanged(v);
    }
  }

  /** in_ifdetach then in6_ifdetach (if_detach, if_setrdomain): IPv4 addresses first, each family in list order. */
  private detachAddresses(ifp: Interface): void {
    this.detachInet(ifp);
    this.detachInet6(ifp);
  }

  /** in_ifdetach: every IPv4 address purged (in_purgeaddr), in list order. */
  private detachInet(ifp: Interface): void {
    for (const a of ifp.addrs.slice()) if (a.af === 'inet') this.routes.purge(a);
  }

  /** in6_ifdetach: every IPv6 address purged, then the interface's all-nodes groups looked up. */
  private detachInet6(ifp: Interface): void {
    for (const a of ifp.addrs.slice()) if (a.af === 'inet6') this.routes.purge(a);
    this.routes.purgeMulticast(ifp);
  }

  up(name: string): void {
    const ifp = this.need(name);
    if (ifp.kind.vlanDriver) return this.driverFlags(ifp, ifp.flags | IFF_UP);
    // SIOCSIFFLAGS calls if_up only when IFF_UP changes (and says nothing when nothing changed).
    if (ifp.isUp) return;
    this.ifUp(ifp);
  }

  /**
   * if_up: IFF_UP, then for the rdomain's own loopback in6_ifattach — every time, so a deleted
   * ::1 or fe80::1 comes back —, then if_linkstate (RTM_IFINFO, the routes follow). lo(4)'s
   * SIOCSIFADDR calls it for every address (driverInit). 4.9's (if.c 1.237): RTM_IFINFO, then
   * in6_if_up on any interface unless IFXF_NOINET6 is set, then rt_if_track.
   */
  private ifUp(ifp: Interface): void {
    ifp.flags |= ifp.upFlags;
    if (this.k.policy.ifXflags.noInet6 === 0) {
      if (isRdomainLoopback(ifp) && !ifp.noInet6) this.attachInet6(ifp);
      this.stateChanged(ifp);
      return;
    }
    this.ifinfo(ifp);
    this.inet6Up(ifp);
    this.trackRoutes(ifp);
  }

  /**
   * 4.9's in6_if_up, which if_up and ifioctl run unless IFXF_NOINET6 is set: in6_ifattach, whose
   * failure (an MTU below IPV6_MMTU) goes unnoticed. The DAD in6_if_up then starts for tentative
   * addresses is already running in the model (an address is tentative only while it runs).
   */
  private inet6Up(ifp: Interface): void {
    if (this.k.policy.ifXflags.noInet6 === 0 || ifp.noInet6) return;
    try {
      this.attachInet6(ifp);
    } catch (e) {
      if (!(e instanceof RtsockErrno)) throw e;
    }
  }

  /**
   * if_down called directly (if_clone_destroy, if_setrdomain): IFF_UP alone goes — no
   * SIOCSIFFLAGS reaches the driver, so IFF_RUNNING stays in the RTM_IFINFO —, then the routes
   * follow.
   */
  private ifDown(ifp: Interface): void {
    ifp.flags &= ~IFF_UP;
    this.stateChanged(ifp);
  }

  down(name: string): void {
    const ifp = this.need(name);
    if (ifp.kind.vlanDriver) return this.driverFlags(ifp, ifp.flags & ~IFF_UP);
    // SIOCSIFFLAGS calls if_down only when IFF_UP changes: a down interface's routes (clones
    // made while it was down, §A.13) stay as they are.
    if (!ifp.isUp) return;
    ifp.flags &= ~ifp.upFlags;
    this.stateChanged(ifp);
  }

  /**
   * SIOCSIFFLAGS with the interface's flags plus `set` minus `clear`: IFF_UP as up()/down(), and
   * the flags an administrator sets (ifconfig's debug, -arp, staticarp, link0-2: the
   * dialect's `ifFlags.settable`). Flags only the kernel sets (IFF_CANTCHANGE) are left as they
   * are, as the ioctl does; the others (LOOPBACK, PROMISC, ...) are not modelled: EINVAL.
   * A change besides IFF_UP is announced (RTM_IFINFO) where the dialect says so.
   */
  setFlags(name: string, change: { set?: number; clear?: number }): void {
    const ifp = this.need(name);
    const set = change.set ?? 0;
    const clear = change.clear ?? 0;
    const policy = this.k.policy.ifFlags;
    const unmodelled = (set | clear) & ~(IFF_CANTCHANGE | IFF_UP | policy.settable);
    if (unmodelled !== 0) fail('EINVAL', `interface flags 0x${unmodelled.toString(16)} are not modelled`);
    const mask = policy.settable;
    const before = ifp.flags;
    const others = (before & ~mask) | (((before | set) & ~clear) & mask);
    const up = (set & IFF_UP) !== 0 ? true : (clear & IFF_UP) !== 0 ? false : ifp.isUp;
    if (ifp.kind.vlanDriver) return this.driverFlags(ifp, (others & ~IFF_UP) | (up ? IFF_UP : 0));
    const apply = () => { ifp.flags = (ifp.flags & ~mask) | (others & mask); };
    if (policy.beforeUpDown) apply();
    if (up !== ifp.isUp) {
      if (up) this.ifUp(ifp);
      else this.down(name);
    }
    if (!policy.beforeUpDown) apply();
    if ((before ^ ifp.flags) & ~(IFF_UP | IFF_RUNNING) && up === ((before & IFF_UP) !== 0) && policy.announced) this.ifinfo(ifp);
  }

  /**
   * SIOCSIFFLAGS to an interface whose driver takes part (InterfaceKind.vlanDriver), as current's
   * ifioctl runs it: the new flags set, the driver's ioctl (whose error puts the old flags back,
   * and nothing is announced), then if_up or if_down if IFF_UP changed, else RTM_IFINFO if any
   * flag did (ifioctl's rtm_ifchg); then the link-state tasks the driver queued.
   */
  private driverFlags(ifp: Interface, flags: number): void {
    const before = ifp.flags;
    ifp.flags = flags;
    try {
      try {
        this.vlans.flagsChanged(ifp);
      } catch (e) {
        ifp.flags = before;
        throw e;
      }
      if ((before ^ ifp.flags) & IFF_UP) {
        if (ifp.isUp) this.ifUp(ifp);
        else this.ifDown(ifp);
      } else if (before !== ifp.flags) {
        this.ifinfo(ifp);
      }
    } finally {
      this.runLinkTasks();
    }
  }

  /**
   * SIOCSIFXFLAGS (if.c ifioctl), as DialectPolicy.ifXflags says: current's IFXF_AUTOCONF6 /
   * AUTOCONF6TEMP run in6_ifattach (the link-local address) when neither was on, an autoconf
   * flag coming on brings a down interface up (its if_up announces it), and any other change
   * sends RTM_IFINFO; 4.9's sends RTM_IFINFO whatever changed. Current's IFXF_WOL and IFXF_LRO
   * need a capability no modelled interface has: ENOTSUP, the word unassigned (IFXF_INET6_NOSOII,
   * set before the check, stays, and is announced). IFXF_MPLS is a flag. Nothing is autoconfigured beyond
   * that: slaacd and dhcpleased are processes, not kernel.
   */
  setXflags(name: string, change: { set?: number; clear?: number }): void {
    const ifp = this.need(name);
    const set = change.set ?? 0;
    const clear = change.clear ?? 0;
    const policy = this.k.policy.ifXflags;
    const unmodelled = (set | clear) & ~policy.settable;
    if (unmodelled !== 0) fail('EINVAL', `interface xflags 0x${unmodelled.toString(16)} are not modelled`);
    const before = xflagsWord(ifp, policy.noInet6);
    const flagsBefore = ifp.flags;
    const wanted = (before | set) & ~clear;
    // ifioctl's end: rtm_ifchg when the flags changed and if_up/if_down did not announce them.
    const changed = () => ((flagsBefore ^ ifp.flags) & IFF_UP) === 0 && (before !== xflagsWord(ifp, policy.noInet6) || flagsBefore !== ifp.flags);
    // One ioctl: the link-state task that the link-local address's driver call may start runs
    // after it, so its RTM_IFINFO carries the new flags.
    try {
      this.ioctl(ifp, () => {
        if (wanted & policy.attachInet6 && !(before & policy.attachInet6)) this.attachOrFail(ifp);
        if (policy.noInet6 !== 0) this.switchInet6(ifp, (wanted & policy.noInet6) !== 0);
        ifp.xflags = (ifp.xflags & ~policy.setEarly) | (wanted & policy.setEarly);
        const unsupported = wanted & ~before & policy.needCapability;
        if (unsupported !== 0) fail('ENOTSUP', `xflags 0x${unsupported.toString(16)} need an interface capability (IFCAP_WOL, IFCAP_LRO) no modelled interface has`);
        ifp.xflags = wanted & ~policy.noInet6;
      });
    } catch (e) {
      // What changed before the error is announced all the same.
      if (policy.announce === 'changed' && changed()) this.ifinfo(ifp);
      throw e;
    }
    // forceup: SIOCSIFFLAGS's path with IFF_UP added, whose if_up announces the interface.
    if (!ifp.isUp && wanted & ~before & policy.forceUp) this.ifUp(ifp);
    if (policy.announce === 'always' || changed()) this.ifinfo(ifp);
  }

  /**
   * 4.9's SIOCSIFXFLAGS with IFXF_NOINET6 (`off`): coming on, in6_ifdetach (every IPv6 address
   * purged); going off, cleared first, then in6_if_up if the interface is up.
   */
  private switchInet6(ifp: Interface, off: boolean): void {
    if (off && !ifp.noInet6) this.detachInet6(ifp);
    if (!off && ifp.noInet6) {
      ifp.noInet6 = false;
      if (ifp.isUp) this.inet6Up(ifp);
    }
    ifp.noInet6 = off;
  }

  /**
   * SIOCSIFMETRIC (if.c ifioctl): if_metric, nothing announced; RTM_IFINFO carries it from then
   * on (ifi_metric), and addresses configured later take it (ifa_metric). The ioctl takes any
   * int; the model keeps if_data's u_int32_t range (EINVAL outside it).
   */
  setMetric(name: string, metric: number): void {
    const ifp = this.need(name);
    if (!Number.isInteger(metric) || metric < 0 || metric > 0xffffffff) fail('EINVAL', `metric ${metric}`);
    ifp.metric = metric;
  }

  /** SIOCAIFGROUP (if_addgroup): EINVAL for a name ending in a digit or longer than 15, EEXIST for a group the interface is in. */
  addGroup(name: string, group: string): void { this.k.groups.add(this.need(name), group); }
  /** SIOCDIFGROUP (if_delgroup): ENOENT unless the interface is in the group. */
  deleteGroup(name: string, group: string): void { this.k.groups.delete(this.need(name), group); }
  /** SIOCGIFGMEMB: the group's members' names in the order they joined; ENOENT for no such group. */
  groupMembers(group: string): string[] { return this.k.groups.members(group).map((i) => i.name); }
  /** SIOCGIFGATTR: the group's carp demotion counter; ENOENT for no such group. */
  groupDemotion(group: string): number { return this.k.groups.carpDemotion(group); }
  /** SIOCSIFGATTR: adds `delta` to the group's carp demotion counter (EINVAL outside 0..255, ENOENT for no such group). */
  demoteGroup(group: string, delta: number): void { this.k.groups.demote(group, delta); }
  /**
   * SIOCIFGCLONERS: the cloners' names, as the kernel lists them (if_cloners, each attached at the
   * head: the model attaches its kinds in DialectPolicy.interfaceKinds order).
   */
  cloners(): string[] { return this.k.policy.interfaceKinds.map((kind) => kind.prefix).reverse(); }

  /** Link state change (LINK_STATE_*): RTM_IFINFO, then routes follow. */
  setLinkState(name: string, state: number): void {
    const ifp = this.need(name);
    ifp.linkState = state;
    this.stateChanged(ifp);
  }

  /** if_up / if_down / if_linkstate: RTM_IFINFO, then the interface's routes follow its state. */
  private stateChanged(ifp: Interface): void {
    this.ifinfo(ifp);
    this.trackRoutes(ifp);
    // if_linkstate's hooks: vlans on the interface follow its link (vlan_link_hook), by their own tasks.
    this.vlans.parentLinkChanged(ifp);
    this.runLinkTasks();
  }

  private trackRoutes(ifp: Interface): void {
    for (const t of this.k.tablesIn(ifp.rdomain)) {
      for (const e of [...t.routes.entries()]) if (e.route.ifp === ifp) this.k.core.trackState(t, e.route, ifp);
    }
  }

  /**
   * SIOCSIFMTU: the driver's bounds ({@link mtuBounds}), then RTM_IFINFO (rtm_ifchg) with the new
   * MTU (routes keep theirs). ifr_mtu is an int; if_mtu keeps it unsigned (loioctl takes any).
   */
  setMtu(name: string, mtu: number): void {
    const ifp = this.need(name);
    if (!Number.isInteger(mtu) || mtu < -0x80000000 || mtu > 0x7fffffff) fail('EINVAL', 'mtu');
    const [min, max] = this.mtuBounds(ifp);
    if (mtu < min || mtu > max) fail('EINVAL', `mtu ${mtu} outside ${min}..${max}`);
    ifp.mtu = mtu >>> 0;
    this.ifinfo(ifp);
  }

  /**
   * The driver's SIOCSIFMTU bounds: the kind's least MTU up to the interface's if_hardmtu (a
   * running current vlan's came from its parent at vlan_up), or, for 4.9's vlan, up to its
   * parent's MTU (EVL_ENCAPLEN less without IFCAP_VLAN_MTU) and EINVAL without a parent.
   */
  private mtuBounds(ifp: Interface): [number, number] {
    if (!ifp.kind.mtuFromParent) return [ifp.kind.mtuMin, ifp.hardMtu];
    const parent = (ifp.parent === '' ? undefined : this.byName(ifp.parent)) ?? fail('EINVAL', `${ifp.name} has no parent interface`);
    return [ifp.kind.mtuMin, parent.mtu - (parent.kind.vlanMtu ? 0 : EVL_ENCAPLEN)];
  }

  /**
   * SIOCSIFPRIORITY (if.c ifioctl: 0..15, else EINVAL): the priority the interface's routes
   * take from now on — RTM_ADD's default (if_priority + RTP_STATIC) and, where the dialect
   * says so, the address routes. Routes already made keep theirs, and nothing is announced.
   * Why it matters later: rt_ifa_del looks an address route up by the priority of the moment,
   * so a connected route made before a change outlives its address (ESRCH), as in OpenBSD.
   */
  setPriority(name: string, priority: number): void {
    const ifp = this.need(name);
    if (!Number.isInteger(priority) || priority < 0 || priority > IF_PRIORITY_MAX) fail('EINVAL', 'priority');
    ifp.priority = priority;
  }

  /**
   * SIOCSIFLLPRIO (if.c ifioctl: IFQ_MINPRIO..IFQ_MAXPRIO, else EINVAL): the priority of the
   * interface's own link-layer packets. Not in 4.9 (if_llprio came with OpenBSD 6.1): there
   * the ioctl reaches the driver, which does not know it (ENOTTY).
   */
  setLlprio(name: string, llprio: number): void {
    const ifp = this.need(name);
    if (!this.k.policy.hasLlprio) fail('ENOTTY', 'SIOCSIFLLPRIO');
    if (!Number.isInteger(llprio) || llprio < IFQ_MINPRIO || llprio > IFQ_MAXPRIO) fail('EINVAL', 'llprio');
    ifp.llprio = llprio;
  }

  /**
   * SIOCSIFDESCR ('' clears): if.c ifioctl copies the text in with copyinstr, which refuses one
   * that leaves no room for its NUL in IFDESCRSIZE bytes (ENAMETOOLONG). Nothing is announced.
   */
  setDescription(name: string, description: string): void {
    const ifp = this.need(name);
    if (Buffer.byteLength(description) >= IFDESCRSIZE) fail('ENAMETOOLONG', 'description');
    ifp.description = description;
  }

  /** SIOCSIFLLADDR: a new link-layer address (Ethernet-like interfaces only). */
  setLladdr(name: string, lladdr: Uint8Array): void {
    const ifp = this.need(name);
    if (!ifp.kind.hasLladdr || lladdr.length !== 6) fail('EINVAL', 'lladdr');
    if (ifp.kind.vlanDriver) this.vlans.setLladdr(ifp, lladdr);
    ifp.lladdr = lladdr.slice();
    this.k.messages.forgetLink(ifp);
    this.ifinfo(ifp);
  }

  /**
   * SIOCSIFRTLABEL ('' clears): the interface drops its reference on the old label and takes one
   * on the new (if.c ifioctl); only address routes made from now on take it. copyinstr of
   * RTLABEL_LEN bytes refuses a label that leaves no room for its NUL; a full label table gives
   * id 0, no label. Nothing is announced.
   */
  setRtlabel(name: string, label: string): void {
    const ifp = this.need(name);
    if (Buffer.byteLength(label) >= RTLABEL_LEN) fail('ENAMETOOLONG', 'rtlabel');
    this.k.labels.unref(ifp.rtlabelId);
    ifp.rtlabelId = this.k.labels.ref(label);
    ifp.rtlabel = ifp.rtlabelId === 0 ? '' : label;
  }

  /**
   * vlan(4) SIOCSVNETID: a tag EVL_VLID_MIN..EVL_VLID_MAX (1..4094; 0 and 4095 are reserved),
   * else EINVAL (if_vlan.c vlan_ioctl). ifconfig's `vnetid any` (-1) is EINVAL here too.
   */
  setVnetid(name: string, vnetid: number): void {
    const ifp = this.need(name);
    if (ifp.kind.encap === undefined) fail('EINVAL', 'not a vlan');
    if (!Number.isInteger(vnetid) || vnetid < EVL_VLID_MIN || vnetid > EVL_VLID_MAX) fail('EINVAL', 'vnetid');
    if (ifp.kind.vlanDriver) return this.vlanIoctl(() => this.vlans.setVnetid(ifp, vnetid));
    ifp.vnetid = vnetid;
  }

  /** vlan(4) SIOCDVNETID: no tag (vlan_set_vnetid(sc, 0); ifconfig then prints `vnetid none`). */
  clearVnetid(name: string): void {
    const ifp = this.need(name);
    if (ifp.kind.encap === undefined) fail('EINVAL', 'not a vlan');
    if (ifp.kind.vlanDriver) return this.vlanIoctl(() => this.vlans.setVnetid(ifp, 0));
    ifp.vnetid = -1;
  }

  /**
   * SIOCSTXHPRIO / SIOCSRXHPRIO (src/kernel/hdrprio.ts): the header priority a current vlan or
   * svlan (if_vlan.c 1.222 vlan_ioctl, the l2 checks: 0..7 or IF_HDRPRIO_PACKET for tx, also
   * IF_HDRPRIO_OUTER for rx) or gif (if_gif.c 1.141 gif_ioctl, the l3 checks: IF_HDRPRIO_PAYLOAD
   * too) uses; EINVAL for what the check refuses. Nothing is announced. Any other driver
   * answers ENOTTY, as does every driver in 4.9, which has neither ioctl (4.9's gif is not in
   * the sources: 1.45 of 2007 answered an unknown ioctl EINVAL, 1.70 of 2014 ENOTTY; the model
   * takes ENOTTY, as for 4.9's SIOCSIFLLPRIO).
   */
  setTxprio(name: string, prio: number): void { setHdrPrio(this.need(name), 'tx', prio); }
  setRxprio(name: string, prio: number): void { setHdrPrio(this.need(name), 'rx', prio); }

  /** SIOCGTXHPRIO and SIOCGRXHPRIO: the driver's header priorities (ENOTTY where it has none). */
  headerPriorities(name: string): { tx: number; rx: number } { return { ...hdrPrioOf(this.need(name)) }; }

  /** A vlan ioctl: the link-state tasks it queued run after it, whether or not it failed. */
  private vlanIoctl(body: () => void): void {
    try {
      body();
    } finally {
      this.runLinkTasks();
    }
  }

  /**
   * vlan(4) SIOCSIFPARENT ('' is SIOCDIFPARENT). Current (vlan.ts): the parent's address, and
   * nothing else until vlan_up. 4.9's vlan (the model's own): lladdr and link state come from
   * the parent, announced.
   */
  setParent(name: string, parent: string): void {
    const ifp = this.need(name);
    if (ifp.kind.encap === undefined) fail('EINVAL', 'not a vlan');
    if (ifp.kind.vlanDriver) return parent === '' ? this.vlans.deleteParent(ifp) : this.vlans.setParent(ifp, parent);
    // if_vlan.c vlan_set_parent / vlan_del_parent: an unknown parent is EINVAL, one that is not
    // Ethernet EPROTONOSUPPORT, the same one nothing; a running vlan keeps its parent (EBUSY).
    const p = parent === '' ? undefined : (this.byName(parent) ?? fail('EINVAL', 'no such parent'));
    if (p && p.type !== IFT_ETHER) fail('EPROTONOSUPPORT', 'parent not Ethernet');
    if ((p?.name ?? '') === ifp.parent) return;
    if (ifp.flags & IFF_RUNNING) fail('EBUSY', 'vlan running');
    ifp.parent = p ? p.name : '';
    if (p) {
      ifp.lladdr = p.lladdr.slice();
      this.k.messages.forgetLink(ifp);
    }
    this.setLinkState(name, p ? p.linkState : LINK_STATE_DOWN);
  }

  /**
   * gif(4) tunnels (src/kernel/tunnel.ts): SIOCSLIFPHYADDR with `src` and `dst` numeric
   * addresses (`fe80::1%gif0` scoped; `dst` undefined is ifconfig's tunneladdr, EINVAL for gif),
   * SIOCDIFPHYADDR, SIOCGLIFPHYADDR, SIOCSLIFPHYRTABLE, SIOCSLIFPHYTTL (-1: copy), SIOCSLIFPHYDF,
   * SIOCSLIFPHYECN and their getters. Other interfaces: ENOTTY.
   */
  setTunnel(name: string, src: string, dst: string | undefined): void { this.tunnels.set(this.need(name), src, dst); }
  deleteTunnel(name: string): void { this.tunnels.delete(this.need(name)); }
  tunnel(name: string): TunnelAddresses { return this.tunnels.get(this.need(name)); }
  setTunnelRdomain(name: string, rdomain: number): void { this.tunnels.setRdomain(this.need(name), rdomain); }
  setTunnelTtl(name: string, ttl: number): void { this.tunnels.setTtl(this.need(name), ttl); }
  setTunnelDf(name: string, df: boolean): void { this.tunnels.setDf(this.need(name), df); }
  setTunnelEcn(name: string, ecn: boolean): void { this.tunnels.setEcn(this.need(name), ecn); }
  tunnelParameters(name: string): TunnelParameters { return this.tunnels.parameters(this.need(name)); }

  /**
   * tun(4)/tap(4) character devices (src/kernel/tun-device.ts): open(2) of /dev/<name> (clones
   * a missing interface, which the close then destroys; EBUSY if open; ENXIO for a name no device
   * driver has) and its close (ENXIO unless open). The link and IFF_RUNNING follow the device.
   */
  /**
   * open(2) of /dev/`name` (tun/tap) by a process in routing table `rtable` (default 0): current
   * clones a missing interface into that table's rdomain (tun_dev_open).
   */
  openDevice(name: string, opts: { rtable?: number } = {}): void { this.devices.open(name, opts.rtable ?? 0); }
  closeDevice(name: string): void { this.devices.close(name); }
  isDeviceOpen(name: string): boolean { return this.need(name).deviceOpen; }
  /**
   * Descriptors a destroy left open on a tun/tap device, by device name (closed first by
   * closeDevice; see TunDevices.destroyed). Live: a kernel snapshot saves and restores it.
   */
  get strandedDevices(): Map<string, number> { return this.devices.stranded; }

  /**
   * SIOCGIFMEDIA: whether the driver answers it (InterfaceKind.hasMedia), after its side effect
   * where it has one (4.9's tun settles its link state, announced). ENOENT for no interface.
   */
  queryMedia(name: string): boolean {
    const ifp = this.need(name);
    this.devices.settleLink(ifp);
    return ifp.kind.hasMedia;
  }

  /** SIOCSIFRDOMAIN (§E.2; rdomain.ts): the move as the dialect makes it. */
  setRdomain(name: string, rdomain: number): void {
    const ifp = this.need(name);
    if (!Number.isInteger(rdomain) || rdomain < 0 || rdomain > RT_TABLEID_MAX) fail('EINVAL', 'rdomain');
    this.rdomains.set(ifp, rdomain);
  }

  /**
   * `inet6` on an interface (SIOCIFAFATTACH, in6_ifattach): ::1 (destination ::1) on the rdomain loopback, then a
   * link-local address (fe80::1 / EUI-64) unless the interface has one — also after it was deleted.
   * EINVAL for an MTU below IPV6_MMTU. 4.9 has no such ioctl: its `inet6` clears IFXF_NOINET6
   * (SIOCSIFXFLAGS: RTM_IFINFO, and in6_if_up if the interface is up).
   */
  enableInet6(name: string): void {
    const ifp = this.need(name);
    const noInet6 = this.k.policy.ifXflags.noInet6;
    if (noInet6 !== 0) {
      this.setXflags(name, { clear: noInet6 });
      return;
    }
    ifp.noInet6 = false;
    this.ioctl(ifp, () => this.attachOrFail(ifp));
  }

  /**
   * `-inet` (SIOCIFAFDETACH for AF_INET, if.c ifioctl): in_ifdetach, every IPv4 address purged
   * with its routes and RTM_DELADDR. Nothing else changes: attaching IPv4 is a no-op, so a
   * later address is configured as usual.
   */
  disableInet(name: string): void {
    this.detachInet(this.need(name));
  }

  /**
   * `-inet6`: removes every IPv6 address and stops automatic attachment (current: SIOCIFAFDETACH;
   * 4.9: SIOCSIFXFLAGS setting IFXF_NOINET6, announced by RTM_IFINFO).
   */
  disableInet6(name: string): void {
    const ifp = this.need(name);
    const noInet6 = this.k.policy.ifXflags.noInet6;
    if (noInet6 !== 0) {
      this.setXflags(name, { set: noInet6 });
      return;
    }
    ifp.noInet6 = true;
    ifp.inet6Attached = false;
    this.detachInet6(ifp);
  }

  /**
   * in6_ifattach: each address only if the interface lacks it (in6ifa_ifpforlinklocal). A
   * failing ::1 fails the caller; a failing link-local address (already purged by then) does
   * not: in6_ifattach returns 0 and SIOCAIFADDR_IN6 goes on to the address it was asked for.
   * On the rdomain's loopback, ::1's driver call (lo(4) SIOCSIFADDR -> if_up) runs in6_ifattach
   * again while ::1 is listed but has no route yet: the link-local address is added inside it,
   * before ::1's own routes, and the multicast routes are the link-local address's.
   */
  private attachInet6(ifp: Interface): boolean {
    // in6_ifattach: EINVAL below the IPv6 minimum MTU, or without IFF_MULTICAST where the dialect needs it.
    const multicastNeeded = this.k.policy.inet6NeedsMulticast === 'every' || ifp.hasNeighbours;
    if (ifp.mtu < IPV6_MMTU || (multicastNeeded && (ifp.flags & IFF_MULTICAST) === 0)) return false;
    ifp.inet6Attached = true;
    const has = (test: (a: IfAddr) => boolean) => ifp.addrs.some((a) => a.af === 'inet6' && test(a));
    const loopback = parseAddress('::1')!.addr;
    // in6_ifattach_loopback gives ::1 the destination ::1 (ifra_dstaddr): no route (in6_ifinit adds
    // one only on a point-to-point interface), but its NEWADDR/DELADDR carry it as RTA_BRD.
    if (isRdomainLoopback(ifp) && !has((a) => bytesEqual(a.addr, loopback))) this.addresses.configure(ifp, 'inet6', loopback, 128, loopback.slice());
    if (has((a) => isLinkLocal6(a.addr))) return true;
    const ll = linkLocalAddress(ifp, this.k.interfaces.values());
    // in6_ifattach_linklocal: tentative where in6if_do_dad says so, but never on a
    // point-to-point interface (in6_ifattach.c 1.124).
    const tentative = dadWanted(ifp) && !ifp.isPointToPoint;
    try {
      this.addresses.configure(ifp, 'inet6', ll, 64, undefined, true, tentative);
    } catch (e) {
      if (!(e instanceof RtsockErrno)) throw e;
    }
    return true;
  }

  /** in6_ifattach where its error ends the ioctl (SIOCIFAFATTACH, SIOCAIFADDR_IN6, current's SIOCSIFXFLAGS). */
  private attachOrFail(ifp: Interface): void {
    if (!this.attachInet6(ifp)) fail('EINVAL', `${ifp.name}: no IPv6 (MTU ${ifp.mtu}, minimum ${IPV6_MMTU}; or not IFF_MULTICAST)`);
  }

  /**
   * Adds `cidr` (`192.0.2.1/32`, `2001:db8::1/64`, `fe80::1%lo1/64`) to an interface; IPv4
   * without a length gets the classful mask (in_ifinit), IPv6 /64. `dest`: the destination
   * (ifra_dstaddr) of an IPv4 address on a point-to-point interface (SIOCAIFADDR; other
   * interfaces ignore it, as in_ioctl_change_ifaddr does) or of an IPv6 address
   * (SIOCAIFADDR_IN6; see inet6Destination).
   */
  addAddress(name: string, cidr: string, options: AddressOptions = {}): void {
    const ifp = this.need(name);
    const { af, addr, plen } = parseCidr(cidr, ifp.index);
    // An IPv4 address without a length carries no mask (ifra_mask.sin_len 0): the classful one
    // for a new address, the address's own for one it re-states.
    const maskGiven = af === 'inet6' || cidr.includes('/');
    let broadcast: Uint8Array | undefined;
    if (options.broadcast !== undefined) {
      const b = parseAddress(options.broadcast);
      if (!b || b.af !== 'inet' || af !== 'inet') fail('EINVAL', `bad broadcast address ${options.broadcast}`);
      if (ifp.flags & IFF_BROADCAST) broadcast = b.addr;
    }
    let dest: Uint8Array | undefined;
    let dest6: { af: Family; addr: Uint8Array } | undefined;
    if (options.dest !== undefined) {
      const d = parseAddress(af === 'inet6' ? options.dest.replace(/%.*$/, '') : options.dest);
      if (!d || (af === 'inet' && d.af !== 'inet')) fail('EINVAL', `bad destination ${options.dest}`);
      if (af === 'inet6') dest6 = d;
      else if (ifp.isPointToPoint) dest = d.addr;
    }
    const req = inet6Request(af, options);
    this.ioctl(ifp, () => {
      // SIOCAIFADDR_IN6 refuses read-only flags and decides whether a new address is tentative
      // (in6if_do_dad) before anything else, then runs in6_ifattach: a link-local address if the
      // interface has none (whose driver call may bring the interface up, too late for this
      // address's DAD); in6_update_ifa checks the destination, then the lifetimes, after it.
      if (af === 'inet6') {
        checkRequest(this.k.policy.inet6Addr, req);
        const tentative = dadWanted(ifp);
        // Current's in6_ioctl_change_ifaddr attaches IPv6 first; 4.9's attaches nothing (its
        // ifioctl's in6_if_up does, after the address, if the driver brought IFF_UP on).
        if (this.k.policy.ifXflags.noInet6 === 0) {
          ifp.noInet6 = false;
          this.attachOrFail(ifp);
        }
        dest = this.inet6Destination(ifp, dest6, plen, (req.flags & IN6_IFF_AUTOCONF) !== 0);
        if (!checkLifetimes(req, !ifp.addrs.some((a) => a.af === 'inet6' && bytesEqual(a.addr, addr)))) return;
        this.addresses.configure(ifp, af, addr, plen, dest, false, tentative, undefined, req);
        return;
      }
      this.addresses.configure(ifp, af, addr, plen, dest, false, false, { maskGiven, broadcast });
    });
  }

  /**
   * in6_update_ifa's checks of an IPv6 address's destination: only point-to-point and
   * loopback interfaces take one (EINVAL elsewhere); one of another family is refused
   * (EAFNOSUPPORT there, EINVAL elsewhere) or ignored, as the dialect says; a link-local one
   * gets the interface's scope (in6_check_embed_scope: another interface's is EINVAL); and the
   * prefix length must then be 128 (EINVAL). With IN6_IFF_AUTOCONF (in6.c 1.273) the address
   * is the announcing router (ia_gwaddr, on any interface, no route and no message show it):
   * checked as far as the family and scope, and no destination.
   */
  private inet6Destination(ifp: Interface, d: { af: Family; addr: Uint8Array } | undefined, plen: number, autoconf: boolean): Uint8Array | undefined {
    if (!d) return undefined;
    const takesOne = ifp.isPointToPoint || ifp.isLoopback;
    if (d.af !== 'inet6') {
      if (!this.k.policy.inet6DstaddrFamilyChecked) return undefined;
      fail(takesOne || autoconf ? 'EAFNOSUPPORT' : 'EINVAL', 'the destination of an IPv6 address must be IPv6');
    }
    const a = d.addr;
    if (isLinkLocal6(a)) {
      const scope = (a[2]! << 8) | a[3]!;
      if (scope !== 0 && scope !== ifp.index) fail('EINVAL', 'the destination\'s scope is another interface');
      a[2] = ifp.index >> 8;
      a[3] = ifp.index & 0xff;
    }
    if (autoconf) return undefined;
    if (!takesOne) fail('EINVAL', 'only point-to-point and loopback interfaces take a destination');
    if (plen !== 128) fail('EINVAL', 'the prefix length must be 128 with a destination');
    return a;
  }

  /**
   * An address ioctl. When the driver's SIOCSIFADDR (configure) brought an Ethernet-like
   * interface up, its link-state task announces the change and brings the interface's other
   * routes up after the ioctl: behind the new address's routes.
   */
  private ioctl(ifp: Interface, body: () => void): void {
    const wasUp = ifp.isUp;
    const flags = ifp.flags;
    try {
      body();
    } finally {
      // 4.9's ifioctl ends with in6_if_up once IFF_UP came on (a driver's SIOCSIFADDR sets it
      // itself), whatever the ioctl returned.
      if (!wasUp && ifp.isUp) this.inet6Up(ifp);
      if (ifp.kind.vlanDriver) {
        // vlan_up's flags are announced by ifioctl's rtm_ifchg unless IFF_UP changed; its link by its task.
        if (flags !== ifp.flags && ((flags ^ ifp.flags) & IFF_UP) === 0) this.ifinfo(ifp);
        this.runLinkTasks();
      } else if (!wasUp && ifp.isUp && ifp.kind.addressUp === 'link-task') {
        this.stateChanged(ifp);
      }
    }
  }

  deleteAddress(name: string, address: string): void {
    const ifp = this.need(name);
    const { af, addr } = parseCidr(address.includes('/') ? address : `${address}/${address.includes(':') ? 128 : 32}`, ifp.index);
    const a = ifp.addrs.find((x) => x.af === af && bytesEqual(x.addr, addr)) ?? fail('EADDRNOTAVAIL', address);
    this.routes.purge(a);
  }

  /** in6_purgeaddr of an IPv6 address whose valid lifetime ended (src/kernel/in6-lifetime.ts). */
  purgeAddress(ifa: IfAddr): void {
    this.routes.purge(ifa);
  }
}

function formatIfAddr(a: IfAddr): string {
  return a.af === 'inet' ? `${a.addr[0]}.${a.addr[1]}.${a.addr[2]}.${a.addr[3]}` : Buffer.from(a.addr).toString('hex');
}

/**
 * The character-device side of tun(4) and tap(4): opening and closing /dev/tunN or /dev/tapN,
 * which is what brings the interface's link up and down (InterfaceKind.device says how, per
 * dialect). Current from if_tun.c 1.252 (tun_dev_open, tun_dev_close, tun_link_state); 4.9 from
 * 1.104 (tunopen, tunclose, tun_link_state, tun_media_status), the nearest stored revision.
 * The model has no descriptors: the device is named by its interface.
 */
import { IFF_RUNNING, LINK_STATE_DOWN } from './constants.js';
import { fail } from './errno.js';
import { kindNamed, type DeviceKind, type Interface, type InterfaceKind } from './interface.js';

/** What the device needs of ifconfig. */
export interface DeviceHooks {
  readonly kinds: () => readonly InterfaceKind[];
  readonly byName: (name: string) => Interface | undefined;
  /** if_clone_create (IFAN_ARRIVAL) and if_clone_destroy (if_detach, IFAN_DEPARTURE). */
  readonly create: (name: string) => Interface;
  readonly destroy: (name: string) => void;
  /** if_up: IFF_UP, RTM_IFINFO, the routes follow. */
  readonly ifUp: (ifp: Interface) => void;
  /** if_link_state_change: RTM_IFINFO, the routes follow. */
  readonly linkChanged: (ifp: Interface) => void;
}

export class TunDevices {
  constructor(private readonly h: DeviceHooks) {}

  /**
   * open(2) of the device. A missing interface is cloned first and then does not outlive the
   * close (TUN_STAYUP cleared); an open one is EBUSY. A name no device driver of the dialect
   * has is ENXIO (the model's answer: there is no such device).
   */
  open(name: string): void {
    const device = this.deviceOf(name) ?? fail('ENXIO', `${name} is no tun/tap device`);
    let ifp = this.h.byName(name);
    const created = !ifp;
    ifp ??= this.h.create(name);
    if (ifp.deviceOpen) fail('EBUSY', `${name} is open`);
    ifp.deviceOpen = true;
    if (created) ifp.stayUp = false;
    if (device.openUp === 'flags') ifp.markUp();
    else ifp.flags |= IFF_RUNNING;
    this.linkState(ifp, device.openLinkState);
    if (device.openUp === 'if_up') this.h.ifUp(ifp);
  }

  /**
   * close(2) of the device: ENXIO unless it is open (current tun_get finds no softc with that
   * dev). Flags cleared directly (no message of their own); then the link goes down (only when
   * the interface stays, in current) and an interface the open created is destroyed.
   */
  close(name: string): void {
    const ifp = this.h.byName(name);
    const device = ifp?.kind.device;
    if (!ifp || !device || !ifp.deviceOpen) fail('ENXIO', `${name} is not open`);
    ifp.deviceOpen = false;
    ifp.flags &= ~device.closeClears;
    const destroy = !ifp.stayUp;
    if (device.closeLinkDownFirst || !destroy) this.linkState(ifp, LINK_STATE_DOWN);
    if (destroy) this.h.destroy(name);
  }

  /**
   * SIOCGIFMEDIA's side effect where the driver has one (4.9 tun_media_status: tun_link_state
   * first, so a never-opened tun's UNKNOWN link becomes DOWN, announced).
   */
  settleLink(ifp: Interface): void {
    const device = ifp.kind.device;
    if (device?.mediaSettlesLink) this.linkState(ifp, ifp.deviceOpen ? device.openLinkState : LINK_STATE_DOWN);
  }

  /** tun_link_state: announced (and the routes follow) only when the state changes. */
  private linkState(ifp: Interface, state: number): void {
    if (ifp.linkState === state) return;
    ifp.linkState = state;
    this.h.linkChanged(ifp);
  }

  private deviceOf(name: string): DeviceKind | undefined {
    return kindNamed(this.h.kinds(), name)?.device;
  }
}

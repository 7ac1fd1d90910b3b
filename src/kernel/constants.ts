/**
 * Numbers the routing core works with (route.h, socket.h, if.h). Message types and flags that
 * both dialects share have the same value in both; dialect-only ones are noted.
 */

export const AF_UNSPEC = 0;
export const AF_INET = 2;
/** Also the setsockopt level of the ROUTE_* options (PF_ROUTE == AF_ROUTE). */
export const AF_ROUTE = 17;
export const AF_LINK = 18;
export const AF_INET6 = 24;

export const SOL_SOCKET = 0xffff;
export const SO_USELOOPBACK = 0x0040;
export const SO_RCVBUF = 0x1002;
export const SO_RTABLE = 0x1021;

export const ROUTE_MSGFILTER = 1;
export const ROUTE_TABLEFILTER = 2;
export const ROUTE_PRIOFILTER = 3;
export const ROUTE_FLAGFILTER = 4;
/** Bit of `type` in a ROUTE_MSGFILTER mask. */
export const ROUTE_FILTER = (type: number): number => (1 << type) >>> 0;
export const RTABLE_ANY = 0xffffffff;
export const RT_TABLEID_MAX = 255;
/** SIOCSIFPRIORITY's bound on if_priority (if.c ifioctl). */
export const IF_PRIORITY_MAX = 15;
/** if_llprio's range and default (net/ifq.h IFQ_MINPRIO, IFQ_MAXPRIO, IFQ_DEFPRIO). */
export const IFQ_MINPRIO = 0;
export const IFQ_MAXPRIO = 7;
export const IFQ_DEFPRIO = 3;
/** vlan(4) tags (net/if_vlan_var.h: 0x000 and 0xfff are reserved). */
export const EVL_VLID_MIN = 1;
export const EVL_VLID_MAX = 0xffe;
/** Bytes a vlan tag adds to a frame (net/if_vlan_var.h). */
export const EVL_ENCAPLEN = 4;
/** Ethernet MTUs (netinet/if_ether.h): the least (ETHER_MIN_LEN - header - CRC), the standard one, and the largest hard MTU a driver may claim. */
export const ETHERMIN = 46;
export const ETHERMTU = 1500;
export const ETHER_MAX_HARDMTU_LEN = 65435;
/** Ethernet types of vlan(4) and svlan(4) tags (net/ethertypes.h). */
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_QINQ = 0x88a8;
/** Bytes of a route label with its NUL (sockaddr_rtlabel's sr_label). */
export const RTLABEL_LEN = 32;
/** Bytes of an interface description with its NUL (net/if.h IFDESCRSIZE). */
export const IFDESCRSIZE = 64;

export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;

export const RTM_ADD = 1;
export const RTM_DELETE = 2;
export const RTM_CHANGE = 3;
export const RTM_GET = 4;
export const RTM_MISS = 7;
/** 4.9 only. */
export const RTM_LOCK = 8;
export const RTM_RESOLVE = 0xb;
export const RTM_NEWADDR = 0xc;
export const RTM_DELADDR = 0xd;
export const RTM_IFINFO = 0xe;
export const RTM_IFANNOUNCE = 0xf;
export const RTM_DESYNC = 0x10;
export const RTM_BFD = 0x12;
export const RTM_PROPOSAL = 0x13;
/** current only: an IPv6 address's flags changed (rtm_addr from DAD and in6_update_ifa). */
export const RTM_CHGADDRATTR = 0x14;
export const RTM_80211INFO = 0x15;
export const RTM_SOURCE = 0x16;

export const RTF_UP = 0x1;
export const RTF_GATEWAY = 0x2;
export const RTF_HOST = 0x4;
export const RTF_REJECT = 0x8;
export const RTF_DYNAMIC = 0x10;
export const RTF_DONE = 0x40;
export const RTF_CLONING = 0x100;
export const RTF_MULTICAST = 0x200;
export const RTF_LLINFO = 0x400;
export const RTF_STATIC = 0x800;
/** Current OpenBSD's names for PROTO3 / PROTO2 on ARP entries (arp -s permanent, arp -s pub). */
export const RTF_PERMANENT_ARP = 0x2000;
export const RTF_ANNOUNCE = 0x4000;
export const RTF_CLONED = 0x10000;
export const RTF_CACHED = 0x20000;
export const RTF_MPATH = 0x40000;
export const RTF_MPLS = 0x100000;
export const RTF_LOCAL = 0x200000;
export const RTF_BROADCAST = 0x400000;
export const RTF_CONNECTED = 0x800000;
/** Current's RTF_FMASK: the flags RTM_CHANGE may toggle. */
export const RTF_FMASK_CURRENT = 0x110fc08;
/** 4.9's RTF_FMASK. */
export const RTF_FMASK_49 = 0x8f808;

export const RTP_LOCAL = 1;
export const RTP_CONNECTED = 4;
export const RTP_STATIC = 8;
export const RTP_DEFAULT = 56;
export const RTP_MAX = 63;
export const RTP_ANY = 64;
export const RTP_MASK = 0x7f;
export const RTP_DOWN = 0x80;

export const RTV_MTU = 0x1;
export const RTV_EXPIRE = 0x4;

export const RTAX_DST = 0;
export const RTAX_GATEWAY = 1;
export const RTAX_NETMASK = 2;
export const RTAX_GENMASK = 3;
export const RTAX_IFP = 4;
export const RTAX_IFA = 5;
export const RTAX_BRD = 7;
export const RTAX_LABEL = 10;
export const RTA_DST = 1 << RTAX_DST;
export const RTA_GATEWAY = 1 << RTAX_GATEWAY;
export const RTA_NETMASK = 1 << RTAX_NETMASK;
export const RTA_GENMASK = 1 << RTAX_GENMASK;
export const RTA_IFP = 1 << RTAX_IFP;
export const RTA_IFA = 1 << RTAX_IFA;
export const RTA_BRD = 1 << RTAX_BRD;
export const RTA_LABEL = 1 << RTAX_LABEL;

export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_LOOPBACK = 0x8;
export const IFF_POINTOPOINT = 0x10;
export const IFF_RUNNING = 0x40;
export const IFF_SIMPLEX = 0x800;
export const IFF_MULTICAST = 0x8000;
export const IFF_DEBUG = 0x4;
/** Current only: 4.9's 0x20 was IFF_NOTRAILERS. */
export const IFF_STATICARP = 0x20;
/** if_xflags (if.h): current's, then 4.9's (whose 0x4 is IFXF_INET6_PRIVACY). */
export const IFXF_AUTOCONF6TEMP = 0x4;
export const IFXF_AUTOCONF6 = 0x20;
export const IFXF_INET6_NOSOII = 0x40;
export const IFXF_AUTOCONF4 = 0x80;
export const IFXF_MONITOR = 0x100;
export const IFXF_MPLS = 0x8;
export const IFXF_WOL = 0x10;
export const IFXF_LRO = 0x200;
export const IFXF_INET6_PRIVACY_49 = 0x4;
/** 4.9's IPv6 switch (if.c 1.237): set, if_up does not attach IPv6 (`-inet6`); current has none. */
export const IFXF_NOINET6_49 = 0x2;
/** IPV6_MMTU (ip6.h): in6_ifattach refuses an interface whose MTU is below it. */
export const IPV6_MMTU = 1280;
export const IFF_NOARP = 0x80;
export const IFF_LINK0 = 0x1000;
export const IFF_LINK1 = 0x2000;
export const IFF_LINK2 = 0x4000;
/** if.h IFF_CANTCHANGE: flags only the kernel sets; SIOCSIFFLAGS keeps them as they are. */
export const IFF_CANTCHANGE = IFF_BROADCAST | IFF_POINTOPOINT | IFF_RUNNING | 0x400 | IFF_SIMPLEX | IFF_MULTICAST | 0x200;

/** ifa_flags: the address's prefix or destination route is installed (route.h IFA_ROUTE = RTF_UP). */
export const IFA_ROUTE = 0x1;

/** ia6_flags (in6_var.h): the kernel sets TENTATIVE, DUPLICATED and DEPRECATED; a request may ask for others (src/kernel/in6-lifetime.ts). */
export const IN6_IFF_ANYCAST = 0x01;
export const IN6_IFF_TENTATIVE = 0x02;
export const IN6_IFF_DUPLICATED = 0x04;
export const IN6_IFF_DETACHED = 0x08;
export const IN6_IFF_DEPRECATED = 0x10;
/** 4.9 only (a request carrying it was EINVAL); current's in6_var.h has no 0x20. */
export const IN6_IFF_NODAD = 0x20;
export const IN6_IFF_AUTOCONF = 0x40;
/** 4.9 named 0x80 IN6_IFF_PRIVACY (ifconfig: `autoconfprivacy`). */
export const IN6_IFF_TEMPORARY = 0x80;

export const IFT_ETHER = 6;
export const IFT_LOOP = 24;
/** if_types.h: tun(4) in layer-3 mode. */
export const IFT_TUNNEL = 0x83;

export const LINK_STATE_UNKNOWN = 0;
export const LINK_STATE_DOWN = 2;
export const LINK_STATE_UP = 4;
export const LINK_STATE_FULL_DUPLEX = 6;

export const IFAN_ARRIVAL = 0;
export const IFAN_DEPARTURE = 1;

/** The MTU loopback's route hook gives routes whose MTU is 0 (LOMTU). */
export const LOMTU = 32768;
/** Receive buffer of a new routing socket. */
export const DEFAULT_RCVBUF = 8192;
export const MSIZE = 256;

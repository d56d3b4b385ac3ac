// The demo world the simulator starts with (and returns to on reset). Documented in docs/simulator.md; tests and
// `npm start` rely on these names.
import { findCatalogModule } from './module-catalog.js';
import { addOvhConfig, DEFAULT_ACCOUNT, newService, type DnsRecord, type HostingService, type SimulatorState, type ZoneRecord } from './records.js';

export const DEMO_SERVICES = {
  /** Perso offer, holding nothing yet: the place to provision a first site. */
  agency: 'demo-agency.ovh',
  /** Pro offer, already holding a site: attached domain, database, WordPress, Let's Encrypt certificate, a dump. */
  shop: 'demo-shop.ovh',
  /** A service in state `bloqued`: every write is refused. */
  blocked: 'demo-blocked.ovh',
} as const;

/** The password of the demo shop's database, so a module can be installed against it. */
export const DEMO_SHOP_DATABASE_PASSWORD = 'DemoShopDb2024';

const DAY = 24 * 60 * 60 * 1000;

/** The DNS zones the demo account holds (served by `/domain/zone`), so the example domains of the README resolve. */
export const DEMO_ZONES = ['example.com'] as const;

/** `example.com`: records unrelated to hosting (apex site elsewhere, mail, SPF, www CNAME) plus `shop`, which points at
 * demo-shop.ovh (its certificate covers it). New sub-domains get their A / AAAA records when they are attached
 * (OVH's automatic DNS configuration) or through `/domain/zone/example.com/record`. */
function demoZone(now: number): ZoneRecord {
  const records: Array<Omit<DnsRecord, 'id'>> = [
    { fieldType: 'NS', subDomain: '', target: 'dns200.ovh.net.', ttl: 0 },
    { fieldType: 'NS', subDomain: '', target: 'ns200.ovh.net.', ttl: 0 },
    { fieldType: 'A', subDomain: '', target: '203.0.113.80', ttl: 0 },
    { fieldType: 'MX', subDomain: '', target: '1 mx1.mail.ovh.net.', ttl: 0 },
    { fieldType: 'MX', subDomain: '', target: '5 mx2.mail.ovh.net.', ttl: 0 },
    { fieldType: 'TXT', subDomain: '', target: '"v=spf1 include:mx.ovh.com ~all"', ttl: 600 },
    { fieldType: 'CNAME', subDomain: 'www', target: 'example.com.', ttl: 0 },
    { fieldType: 'A', subDomain: 'shop', target: '192.0.2.28', ttl: 0 },
    { fieldType: 'AAAA', subDomain: 'shop', target: '2001:db8::28', ttl: 0 },
  ];
  const withIds = records.map((record, index) => ({ id: 5_100_001 + index, ...record }));
  return {
    name: 'example.com',
    account: DEFAULT_ACCOUNT,
    records: new Map(withIds.map((record) => [record.id, record])),
    nameServers: ['dns200.ovh.net', 'ns200.ovh.net'],
    lastUpdate: now - 200 * DAY,
    publications: [{ visibleAt: now - 200 * DAY, records: withIds.map((record) => ({ ...record })) }],
  };
}

export function createDemoState(now: number): SimulatorState {
  const services = new Map<string, HostingService>();
  const base = { displayName: null, datacenter: 'gra3', createdAt: now - 400 * DAY };

  services.set(
    DEMO_SERVICES.agency,
    newService({
      ...base,
      serviceName: DEMO_SERVICES.agency,
      offer: 'PERSO',
      state: 'active',
      primaryLogin: 'demoagen',
      cluster: 'cluster031',
      home: '/homez.1788/demoagen',
      clusterIp: '192.0.2.31',
      clusterIpv6: '2001:db8::31',
    }, 901),
  );

  const shop = newService({
    ...base,
    serviceName: DEMO_SERVICES.shop,
    offer: 'PRO',
    state: 'active',
    primaryLogin: 'demoshop',
    cluster: 'cluster028',
    home: '/homez.2041/demoshop',
    clusterIp: '192.0.2.28',
    clusterIpv6: '2001:db8::28',
  }, 902);
  shop.runtimes.set(903, {
    id: 903,
    name: 'api',
    type: 'nodejs-14',
    appEnv: 'production',
    appBootstrap: 'app.js',
    publicDir: 'public',
    isDefault: false,
    creationDate: now - 200 * DAY,
    lastUpdate: now - 200 * DAY,
    status: 'created',
    taskId: null,
  });
  shop.attachedDomains.set('shop.example.com', {
    domain: 'shop.example.com',
    path: 'shop',
    ssl: true,
    cdn: 'none',
    firewall: 'none',
    ipLocation: null,
    ownLog: null,
    runtimeId: null,
    status: 'created',
    taskId: null,
  });
  shop.databases.set('demoshopdb1', {
    name: 'demoshopdb1',
    user: 'demoshopdb1',
    password: DEMO_SHOP_DATABASE_PASSWORD,
    type: 'mysql',
    version: '8.0',
    capabilitie: 'sqlPerso',
    quotaMb: 1024,
    server: 'demoshopdb1.mysql.db',
    port: 3306,
    status: 'created',
    taskId: null,
    createdAt: now - 300 * DAY,
    restoredFrom: [],
  });
  shop.dumps.set(5001, {
    id: 5001,
    databaseName: 'demoshopdb1',
    type: 'daily.1',
    creationDate: now - DAY,
    deletionDate: now + 29 * DAY,
    status: 'created',
    taskId: null,
    sendEmail: false,
    orphan: false,
  });
  const wordpress = findCatalogModule(301);
  shop.modules.set(701, {
    id: 701,
    moduleId: 301,
    domain: 'shop.example.com',
    path: 'shop',
    language: 'en',
    adminName: 'admin',
    configuredDatabasePassword: DEMO_SHOP_DATABASE_PASSWORD,
    adminFolder: wordpress?.adminFolder ?? 'wp-admin',
    targetUrl: 'https://shop.example.com/',
    dependencies: [{ type: 'mysql', name: 'demoshopdb1', port: 3306, prefix: 'wp_', server: 'demoshopdb1.mysql.db', user: 'demoshopdb1' }],
    status: 'created',
    taskId: null,
    creationDate: now - 299 * DAY,
    lastUpdate: now - 299 * DAY,
  });
  // The WordPress site's own `.ovhconfig`, on an older PHP than the home's.
  addOvhConfig(shop, 'shop', { engineVersion: '8.1' }, now - 299 * DAY);
  shop.ssl = { provider: 'LETSENCRYPT', type: 'DV', status: 'created', taskId: null, domains: ['shop.example.com'], createdAt: now - 299 * DAY };
  services.set(DEMO_SERVICES.shop, shop);

  services.set(
    DEMO_SERVICES.blocked,
    newService({
      ...base,
      serviceName: DEMO_SERVICES.blocked,
      offer: 'PERSO',
      state: 'bloqued',
      primaryLogin: 'demobloc',
      cluster: 'cluster031',
      home: '/homez.1790/demobloc',
      clusterIp: '192.0.2.31',
      clusterIpv6: '2001:db8::31',
    }, 904),
  );

  const zones = new Map(DEMO_ZONES.map((name) => [name, demoZone(now)]));
  return {
    services,
    tasks: new Map(),
    zones,
    externalDns: new Map(),
    passwordChanges: new Map(),
    nextIds: { task: 1_000_001, dump: 5_002, module: 702, record: 5_200_001, runtime: 905, website: 7_001 },
  };
}

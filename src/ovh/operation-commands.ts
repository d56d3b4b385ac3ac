// Which ovhflow commands each OVH operation serves: what `ovhflow doctor` names when OVH stops offering one. Keyed by
// the operations table, so a new operation does not compile until it says which commands need it.
import type { OperationName } from './operations.js';

const PROVISION = 'provision';
const DECOMMISSION = 'decommission';
const RENEW = 'renew-cert';
const ROTATE = 'rotate';
const BACKUP = 'backup';
const RESTORE = 'restore';
const NIGHTLY = 'schedule nightly-dumps';
const FTP = 'ftp-user';
const DOMAIN = 'domain update';
const DNS = 'dns check';
const LS = 'ls';
const CREDENTIALS = 'credentials';
const CRON = 'cron add|update|delete';
const PHP = 'php set';
const ENV = 'env set|unset';
const DEPLOY = 'deploy';

export const OPERATION_COMMANDS: Record<OperationName, readonly string[]> = {
  listServices: [LS, NIGHTLY, CREDENTIALS],
  getService: [PROVISION, DECOMMISSION, RENEW, ROTATE, BACKUP, RESTORE, NIGHTLY, FTP, DOMAIN, DNS, LS],
  getOfferCapabilities: [PROVISION],
  listTasks: [PROVISION, ROTATE, LS],
  getTask: [PROVISION, DECOMMISSION, RENEW, ROTATE, BACKUP, RESTORE, NIGHTLY, FTP, DOMAIN, LS],
  listAttachedDomains: [RENEW, DECOMMISSION, LS],
  getAttachedDomain: [PROVISION, DECOMMISSION, RENEW, DOMAIN, DNS],
  attachDomain: [PROVISION],
  detachDomain: [PROVISION, DECOMMISSION],
  listDatabases: [PROVISION, NIGHTLY, LS],
  getDatabase: [PROVISION, DECOMMISSION, ROTATE, BACKUP, RESTORE, NIGHTLY],
  createDatabase: [PROVISION],
  deleteDatabase: [PROVISION, DECOMMISSION],
  listDumps: [BACKUP, RESTORE, NIGHTLY, LS],
  getDump: [BACKUP, RESTORE, NIGHTLY, LS],
  createDump: [BACKUP, RESTORE, NIGHTLY],
  restoreDump: [RESTORE],
  restoreOvhBackup: [RESTORE],
  listModuleCatalog: [PROVISION, LS],
  getModuleCatalogEntry: [PROVISION, LS],
  listModules: [PROVISION, DECOMMISSION, ROTATE, LS],
  getModule: [PROVISION, DECOMMISSION, ROTATE, LS],
  installModule: [PROVISION],
  deleteModule: [PROVISION, DECOMMISSION],
  getSsl: [PROVISION, RENEW, DECOMMISSION],
  orderSsl: [PROVISION, RENEW],
  regenerateSsl: [PROVISION, RENEW, DECOMMISSION],
  listSslDomains: [PROVISION, RENEW, DECOMMISSION],
  deleteSsl: [PROVISION, RENEW, DECOMMISSION],
  getDomainSsl: [PROVISION, DECOMMISSION],
  orderDomainSsl: [PROVISION],
  regenerateDomainSsl: [PROVISION],
  deleteDomainSsl: [PROVISION, DECOMMISSION],
  getDomainSslReport: [PROVISION],
  listUsers: [FTP, LS],
  getUser: [FTP, ROTATE],
  createUser: [FTP],
  deleteUser: [FTP],
  updateUser: [FTP],
  changeUserPassword: [ROTATE],
  changeDatabasePassword: [ROTATE],
  serverTime: ['every command that calls OVH'],
  requestCredential: ['credentials request'],
  currentCredential: ['credentials check', 'doctor'],
  getDigStatus: [PROVISION, DNS],
  getHostingToken: [PROVISION, DNS],
  listDnsZones: [PROVISION, DNS],
  listZoneRecords: [PROVISION, DNS],
  getZoneRecord: [PROVISION, DNS],
  createZoneRecord: [PROVISION],
  updateZoneRecord: [PROVISION],
  deleteZoneRecord: [PROVISION],
  refreshZone: [PROVISION],
  updateAttachedDomain: [DOMAIN],
  listOvhConfigs: [PHP, LS, PROVISION],
  getOvhConfig: [PHP, LS, PROVISION],
  changeOvhConfig: [PHP, PROVISION],
  rollbackOvhConfig: [PHP, PROVISION],
  getOvhConfigCapabilities: [PHP, PROVISION],
  refreshOvhConfigs: [PROVISION],
  listEnvVars: [ENV, LS, PROVISION],
  getEnvVar: [ENV, LS, PROVISION],
  createEnvVar: [ENV, PROVISION],
  updateEnvVar: [ENV, PROVISION],
  deleteEnvVar: [ENV, PROVISION],
  getWebsiteCreationCapabilities: [DEPLOY, PROVISION],
  listWebsites: [DEPLOY, LS, PROVISION, DECOMMISSION],
  getWebsite: [DEPLOY, LS, PROVISION, DECOMMISSION],
  createWebsite: [DEPLOY, PROVISION],
  updateWebsite: [DEPLOY, PROVISION],
  deleteWebsite: [DEPLOY, PROVISION, DECOMMISSION],
  deployWebsite: [DEPLOY, PROVISION],
  listWebsiteDeployments: [DEPLOY, LS, PROVISION, DECOMMISSION],
  getWebsiteDeployment: [DEPLOY, LS, PROVISION, DECOMMISSION],
  getWebsiteDeploymentLogs: [DEPLOY, PROVISION],
  getVcsWebhooks: [DEPLOY, PROVISION],
  listCrons: [CRON, LS, PROVISION, DECOMMISSION],
  getCron: [CRON, LS, PROVISION, DECOMMISSION],
  createCron: [CRON, PROVISION],
  updateCron: [CRON, PROVISION],
  deleteCron: [CRON, PROVISION, DECOMMISSION],
  listCronLanguages: [CRON, PROVISION],
  listRuntimes: [LS],
  getRuntime: [LS],
};

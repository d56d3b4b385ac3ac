// What needs no hosting service: the service list, the 1-click module catalog and offer capabilities (the last two
// answer without authentication, as on OVH), and which hosting a domain is attached to.
import { apiErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import { MODULE_CATALOG, findCatalogModule } from '../state/module-catalog.js';
import { OFFERS } from '../state/offers.js';
import type { OfferName } from '../state/records.js';
import { allowedByIam, type Handler } from './handler-context.js';
import { catalogModuleView, offerCapabilitiesView } from './views.js';

export const catalogHandlers = {
  'GET /hosting/web': (context) =>
    [...context.core.state.services.values()]
      .filter((service) => service.account === context.account && allowedByIam(context, 'webHosting:apiovh:get', `webHosting:${service.serviceName}`))
      .map((service) => service.serviceName)
      .sort(),

  'GET /hosting/web/moduleList': ({ query }) =>
    MODULE_CATALOG.filter(
      (module) =>
        (query.active === undefined || module.active === query.active) &&
        (query.branch === undefined || module.branch === query.branch) &&
        (query.latest === undefined || module.latest === query.latest),
    )
      .map((module) => module.id)
      .sort((a, b) => a - b),

  'GET /hosting/web/moduleList/{id}': ({ path }) => {
    const module = findCatalogModule(path.id as number);
    if (!module) throw apiErrors.objectNotFound('id', path.id as number);
    return catalogModuleView(module);
  },

  'GET /hosting/web/offerCapabilities': ({ query }) => {
    const offer = query.offer as string;
    if (!(offer in OFFERS)) throw apiErrors.badRequest(`[offer] The simulator does not sell the offer ${offer}`);
    return offerCapabilitiesView(offer as OfferName);
  },

  'GET /hosting/web/attachedDomain': ({ core, query, account }) => {
    const domain = String(query.domain).toLowerCase();
    return [...core.state.services.values()]
      .filter((service) => service.account === account && service.attachedDomains.has(domain))
      .map((service) => service.serviceName)
      .sort();
  },
} satisfies Partial<Record<ServedOperation, Handler>>;

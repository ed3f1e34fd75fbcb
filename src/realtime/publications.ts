import type { DdpServer } from '../ddp/server.js';

/** Publications every Meteor client expects (accounts.md). No OAuth services: no documents. */
export function registerPublications(ddp: DdpServer): void {
  ddp.publish('meteor.loginServiceConfiguration', (sub) => sub.ready());
}

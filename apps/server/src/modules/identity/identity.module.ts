import { defineModule } from '../define-module.ts';
import { registerIdentityRoutes } from './identity.routes.ts';
import { identityDepsFrom, runIdentityRetention } from './identity.service.ts';

// Identity verification with the My Number card's JPKI (issue 15, A-01) through an identity
// provider (identity-provider.ts; the first adapter is the Digital Agency's デジタル認証アプリ,
// digital-auth-app.adapter.ts). Other modules use identity.service.ts only:
//   const identity = identityDepsFrom(deps);            // in their register (one per config)
//   startIdentityVerification(db, identity, { purpose, ref, level, returnPath, citizenRef })
//   verifiedIdentity(db, identity, { verificationId, purpose, ref })
//   purgeIdentity(db, { purpose, ref })
// The verified attributes are sealed in identity_verifications and deleted after
// IDENTITY_RETENTION_DAYS by the job below (or earlier by purgeIdentity).

export const IDENTITY_RETENTION_JOB = 'identity.retention';

export const identityModule = defineModule({
  name: 'identity',
  lineEvents: [],
  register(app, deps) {
    const identity = identityDepsFrom(deps);
    registerIdentityRoutes(app, { db: deps.db, identity });
    deps.jobs.define({
      name: IDENTITY_RETENTION_JOB,
      cron: '23 * * * *',
      retryLimit: 0,
      handler: async () => {
        await runIdentityRetention(deps.db);
      },
    });
  },
});

import { defineModule } from '../define-module.ts';
import { registerFriendRoutes } from './friends.routes.ts';
import { fetchMissingProfiles, PROFILE_JOB, subscribeFriends } from './friends.service.ts';

// Friends of each channel: follow/unfollow keep the friend rows, a job fetches their LINE profiles.
export const friendsModule = defineModule({
  name: 'friends',
  lineEvents: ['follow', 'unfollow'],
  register(app, deps) {
    registerFriendRoutes(app, { db: deps.db, channels: deps.channels });
    subscribeFriends(deps.bus, deps.trigger(PROFILE_JOB, 200));
    deps.jobs.define({
      name: PROFILE_JOB,
      handler: async () => {
        await fetchMissingProfiles({ db: deps.db, channels: deps.channels, line: deps.line, log: app.log });
      },
      retryLimit: 3,
      // Catches up with profiles whose fetch failed while LINE was unreachable.
      cron: '*/10 * * * *',
    });
  },
});

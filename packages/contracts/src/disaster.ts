// Disaster mode as staff and citizens see it, without zod: the console imports these at
// run time. The switch itself is the rich menu API (richmenus.ts, "Disaster mode").

/** GET /api/disaster/status?channelId= — for every role that sees the dashboard (its banner). */
export type DisasterModeView<Time = string> =
  | { active: false }
  | {
      active: true;
      groupId: string;
      /** The disaster tab group's name. */
      groupName: string;
      publicationId: string;
      /** linking: the default is switched, per-user menus follow; ending: being switched off. */
      status: string;
      error: string | null;
      /** When it was switched on. */
      since: Time;
      /** The staff member who switched it on (from the audit log), when known. */
      byName: string | null;
      /** When it switches off by itself (a scheduled end, X-01), else null. */
      until?: Time | null;
    };

/** Postback data of the evacuation guidance: `guide=<step>` and the answers so far. */
export const GUIDE_PARAM = 'guide';
/** Starts the guidance: a disaster menu area's postback data, or the prepared message's button. */
export const GUIDE_START_POSTBACK = 'guide=start';

import type { Messages } from './ja.ts';

export const en: Messages = {
  'app.cityName': 'Demo City',
  'app.brand': 'Madoguchi',
  'app.homeTitle': 'Home',

  'language.switchTo': '日本語',
  'language.switchLabel': '日本語に切り替える',

  'status.loading': 'Loading…',
  'status.redirecting': 'Opening LINE Login…',

  'error.title': 'This page could not be shown',
  'error.retry': 'Try again',
  'error.CHANNEL_NOT_FOUND':
    'The address of this page is not valid. Please open it again from the LINE chat.',
  'error.MISSING_CHANNEL': 'Please open this page from the LINE chat.',
  'error.INVALID_ID_TOKEN': 'LINE authentication failed. Please open this page again from the LINE chat.',
  'error.NO_ID_TOKEN':
    'Your LINE login could not be received. Please open this page again from the LINE chat.',
  'error.CITIZEN_UNAUTHENTICATED': 'Your login has expired. Please open this page again from the LINE chat.',
  'error.LIFF_LOAD_FAILED': 'Could not connect to LINE. Please check your connection and try again.',
  'error.LIFF_INIT_FAILED': 'Could not connect to LINE. Please open this page again from the LINE chat.',
  'error.NETWORK': 'A network error occurred. Please check your connection and try again.',
  'error.UNKNOWN': 'Something went wrong. Please try again later.',

  'home.welcome': 'Welcome, {name}',
  'home.signedInWithLine': 'Signed in with LINE',
  'home.pictureAlt': 'LINE profile picture of {name}',
  'home.servicesHeading': 'Services',
  'home.servicesLead': 'The following services are being prepared. Please wait a little longer.',
  'home.comingSoon': 'Coming soon',
  'home.service.profile': 'Update your details',
  'home.service.profile.description': 'Change your area and the notices you want to receive.',
  'home.service.consult': 'Ask for advice',
  'home.service.consult.description': 'Chat with city staff about your concerns.',
  'home.service.booking': 'Bookings',
  'home.service.booking.description': 'Book an appointment at a city office or facility.',
  'home.service.report': 'Report a problem',
  'home.service.report.description': 'Send a photo of road damage and other problems.',
  'home.close': 'Close',
};

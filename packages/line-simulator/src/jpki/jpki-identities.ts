import { generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';

// Test identities of the JPKI stand-in: each is a My Number card with a PIN (4 digits, the
// 利用者証明用 PIN) and a certificate that is valid, expired or revoked. The addresses are in the
// fictional 平川市 (the seed's Hirakawa City). Nothing here is a real person.

export type CertificateStatus = 'valid' | 'expired' | 'revoked';

export interface TestIdentity {
  id: string;
  name: string;
  /** reading, shown on the page */
  kana: string;
  address: string;
  birthdate: string;
  gender: string;
  pin: string;
  certificate: CertificateStatus;
}

export const TEST_IDENTITIES: readonly TestIdentity[] = [
  {
    id: 'hanako',
    name: '平川 花子',
    kana: 'ひらかわ はなこ',
    address: '平川市本町一丁目2番3号',
    birthdate: '1985-04-01',
    gender: '女',
    pin: '1234',
    certificate: 'valid',
  },
  {
    id: 'taro',
    name: '平川 太郎',
    kana: 'ひらかわ たろう',
    address: '平川市緑が丘四丁目5番6号',
    birthdate: '1978-11-23',
    gender: '男',
    pin: '1234',
    certificate: 'valid',
  },
  {
    id: 'kigen',
    name: '期限 切子',
    kana: 'きげん きりこ',
    address: '平川市東町七丁目8番9号',
    birthdate: '1990-02-14',
    gender: '女',
    pin: '1234',
    certificate: 'expired',
  },
  {
    id: 'shikko',
    name: '失効 次郎',
    kana: 'しっこう じろう',
    address: '平川市西町十丁目11番12号',
    birthdate: '1965-07-07',
    gender: '男',
    pin: '1234',
    certificate: 'revoked',
  },
];

export const findIdentity = (id: string) => TEST_IDENTITIES.find((i) => i.id === id);

/** Each identity's signing key (署名用電子証明書の鍵), made on first use. */
const signingKeys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject; serial: string }>();

export function signingKeyOf(id: string) {
  let k = signingKeys.get(id);
  if (!k) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    k = { ...pair, serial: randomBytes(8).toString('hex').toUpperCase() };
    signingKeys.set(id, k);
  }
  return k;
}

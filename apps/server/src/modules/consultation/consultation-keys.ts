import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { type Cipher, createCipher } from '../../platform/crypto.ts';
import { findDataKeyEnc } from './consultations.repository.ts';

// Envelope encryption of consultations (C-17, S-02, C-16): each consultation has its own random data
// key, stored only encrypted with the master key (ENCRYPTION_KEY). Messages and the record are
// sealed with the data key. Destroying a consultation's data key (or the master key at contract
// end) makes its content unreadable for good (crypto-shredding).

const CACHE_SIZE = 5000;

export interface ConsultationKeys {
  /** A new data key: the encrypted form to store with the consultation, and its cipher. */
  create(): { enc: Buffer; cipher: Cipher };
  /** The cipher of a consultation's data key. */
  forConsultation(consultationId: string, dataKeyEnc?: Buffer): Promise<Cipher>;
}

export function createConsultationKeys(db: Db, master: Cipher): ConsultationKeys {
  const cache = new Map<string, Cipher>();
  const remember = (id: string, cipher: Cipher) => {
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(id, cipher);
    return cipher;
  };
  const open = (enc: Buffer) => createCipher(master.decryptBytes(enc).toString('base64'));
  return {
    create() {
      const raw = randomBytes(32);
      return { enc: master.encryptBytes(raw), cipher: createCipher(raw.toString('base64')) };
    },
    async forConsultation(id, dataKeyEnc) {
      const hit = cache.get(id);
      if (hit) return hit;
      const enc = dataKeyEnc ?? (await findDataKeyEnc(db, id));
      return remember(id, open(enc));
    },
  };
}

/**
 * @module
 * Redis Cluster's key-to-slot function, for tests that check which slot a key lies in without a
 * cluster at hand: CRC16 (XMODEM) of the hash tag (the part between the first `{` and the next `}`, when
 * not empty) or of the whole key, modulo 16384. Checked against the cluster's `CLUSTER KEYSLOT`.
 */

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The slot Redis Cluster assigns to `key`. */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  const hashed = close > open + 1 ? key.slice(open + 1, close) : key;
  return crc16(new TextEncoder().encode(hashed)) % 16384;
}

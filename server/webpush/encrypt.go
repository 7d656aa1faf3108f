package webpush

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
)

const (
	saltLen   = 16
	authLen   = 16
	keyLen    = 65 // an uncompressed P-256 point
	recordLen = 4096
	headerLen = saltLen + 4 + 1 + keyLen
	tagLen    = 16
)

// MaxPayload is the largest payload Encrypt takes: one 4096-byte record
// less its delimiter and tag, so that the whole body stays within the
// 4096 bytes every push service accepts once the header is counted.
const MaxPayload = recordLen - headerLen - tagLen - 1

// Encrypt encrypts payload for a subscriber's p256dh key (65 bytes) and
// auth secret (16 bytes) with the content coding aes128gcm (RFC 8291 §3-4,
// RFC 8188 §2), salt (16 bytes, random for each message) and the sender's
// ephemeral key server, in a single record of size 4096 without padding.
// Bad input is an error matching ErrInvalid.
func Encrypt(payload, p256dh, auth, salt []byte, server *ecdh.PrivateKey) ([]byte, error) {
	switch {
	case len(payload) > MaxPayload:
		return nil, fmt.Errorf("%w: the payload has %d bytes, more than the %d a push message carries", ErrInvalid, len(payload), MaxPayload)
	case len(auth) != authLen:
		return nil, fmt.Errorf("%w: the auth secret has %d bytes, not %d", ErrInvalid, len(auth), authLen)
	case len(salt) != saltLen:
		return nil, fmt.Errorf("%w: the salt has %d bytes, not %d", ErrInvalid, len(salt), saltLen)
	case server == nil || server.Curve() != ecdh.P256():
		return nil, fmt.Errorf("%w: the sender's key is not a P-256 key", ErrInvalid)
	}
	ua, err := ecdh.P256().NewPublicKey(p256dh)
	if err != nil {
		return nil, fmt.Errorf("%w: the p256dh key is not a P-256 point: %v", ErrInvalid, err)
	}
	shared, err := server.ECDH(ua)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	asPublic := server.PublicKey().Bytes()

	// RFC 8291 §3.4: the auth secret and both public keys go into the
	// input keying material of the content coding.
	prkKey, err := hkdf.Extract(sha256.New, shared, auth)
	if err != nil {
		return nil, err
	}
	keyInfo := "WebPush: info\x00" + string(p256dh) + string(asPublic)
	ikm, err := hkdf.Expand(sha256.New, prkKey, keyInfo, 32)
	if err != nil {
		return nil, err
	}
	// RFC 8188 §2.2, 2.3.
	prk, err := hkdf.Extract(sha256.New, ikm, salt)
	if err != nil {
		return nil, err
	}
	cek, err := hkdf.Expand(sha256.New, prk, "Content-Encoding: aes128gcm\x00", 16)
	if err != nil {
		return nil, err
	}
	nonce, err := hkdf.Expand(sha256.New, prk, "Content-Encoding: nonce\x00", 12)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}

	out := make([]byte, headerLen, headerLen+len(payload)+1+tagLen)
	copy(out, salt)
	binary.BigEndian.PutUint32(out[saltLen:], recordLen)
	out[saltLen+4] = keyLen
	copy(out[saltLen+5:], asPublic)
	plain := make([]byte, 0, len(payload)+1)
	plain = append(append(plain, payload...), 2) // 2: the last record, no padding
	// The only record is number 0, so the nonce is used as derived.
	return gcm.Seal(out, nonce, plain, nil), nil
}

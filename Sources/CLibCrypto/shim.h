// Thin C shims over libcrypto (OpenSSL 3) for the WoowCrypto Swift module.
// Swift cannot import function-like macros or variadic functions, and some
// OpenSSL entry points take `int` lengths or reject NULL pointers; these
// `static inline` wrappers give Swift a small, size_t-based surface.
#ifndef WOOW_CLIBCRYPTO_SHIM_H
#define WOOW_CLIBCRYPTO_SHIM_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

/// Length in bytes of a SHA-256 digest.
#define WOOW_SHA256_LENGTH 32

/// A non-NULL pointer for empty inputs (some OpenSSL calls treat NULL specially).
static const unsigned char woow_empty_input[1] = {0};

/// Fills `buf` with `count` cryptographically secure random bytes. Returns 1 on success.
static inline int woow_rand_bytes(unsigned char *buf, size_t count) {
    while (count > 0) {
        int chunk = count > (size_t)INT_MAX ? INT_MAX : (int)count;
        if (RAND_bytes(buf, chunk) != 1) return 0;
        buf += chunk;
        count -= (size_t)chunk;
    }
    return 1;
}

/// SHA-256 of `len` bytes at `data` into `out` (32 bytes). Returns 1 on success.
static inline int woow_sha256(const unsigned char *data, size_t len, unsigned char *out) {
    unsigned int outlen = 0;
    if (data == NULL) data = woow_empty_input;
    return EVP_Digest(data, len, out, &outlen, EVP_sha256(), NULL) == 1
        && outlen == WOOW_SHA256_LENGTH;
}

/// HMAC-SHA256 of `message` under `key` into `out` (32 bytes). Returns 1 on success.
static inline int woow_hmac_sha256(const unsigned char *key, size_t keylen,
                                   const unsigned char *message, size_t msglen,
                                   unsigned char *out) {
    unsigned int outlen = 0;
    if (keylen > (size_t)INT_MAX) return 0;
    if (key == NULL) key = woow_empty_input;
    if (message == NULL) message = woow_empty_input;
    return HMAC(EVP_sha256(), key, (int)keylen, message, msglen, out, &outlen) != NULL
        && outlen == WOOW_SHA256_LENGTH;
}

/// PBKDF2-HMAC-SHA512 of `password` with `salt` and `rounds` into `out` (`outlen` bytes).
/// Returns 1 on success.
static inline int woow_pbkdf2_hmac_sha512(const unsigned char *password, size_t passlen,
                                          const unsigned char *salt, size_t saltlen,
                                          int rounds, unsigned char *out, size_t outlen) {
    if (passlen > (size_t)INT_MAX || saltlen > (size_t)INT_MAX || outlen > (size_t)INT_MAX)
        return 0;
    if (rounds < 1) return 0;
    if (password == NULL) password = woow_empty_input;
    if (salt == NULL) salt = woow_empty_input;
    return PKCS5_PBKDF2_HMAC((const char *)password, (int)passlen, salt, (int)saltlen,
                             rounds, EVP_sha512(), (int)outlen, out);
}

/// Writes a human-readable description of the oldest queued OpenSSL error into `buf`.
/// Returns 0 (and writes an empty string) if the error queue is empty.
static inline unsigned long woow_last_error(char *buf, size_t len) {
    unsigned long code = ERR_get_error();
    if (len > 0) buf[0] = '\0';
    if (code != 0 && len > 0) ERR_error_string_n(code, buf, len);
    return code;
}

#endif

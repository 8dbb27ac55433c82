/* cr-key.c: a practice database key held in locked, wiped memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-key"

#include "config.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <json-glib/json-glib.h>

#include "cr-key.h"

struct _CrKey
{
  guint8 data[CR_KEY_SIZE];
};

G_DEFINE_QUARK (cr-key-error-quark, cr_key_error)
G_DEFINE_BOXED_TYPE (CrKey, cr_key, cr_key_copy, cr_key_free)

/* Wrapped-key file format version and Argon2id cost: "moderate" takes about
 * half a second and 256 MiB on the reference machine, once per start. */
#define WRAP_VERSION 1

static gboolean
ensure_sodium (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      int ok = sodium_init () >= 0;
      g_once_init_leave (&initialized, ok ? 1 : 2);
    }

  return initialized == 1;
}

static CrKey *
cr_key_alloc (void)
{
  CrKey *key;

  if (!ensure_sodium ())
    g_error ("libsodium could not be initialised");

  /* sodium_malloc: guarded pages, locked against swapping, wiped on free. */
  key = sodium_malloc (sizeof *key);
  if (key == NULL)
    g_error ("Could not allocate locked memory for a key");

  return key;
}

/**
 * cr_key_new_random:
 *
 * Returns: (transfer full): 32 bytes from the operating system's CSPRNG.
 */
CrKey *
cr_key_new_random (GError **error)
{
  CrKey *key = cr_key_alloc ();

  /* randombytes_buf uses getrandom(2); it aborts rather than fail silently. */
  randombytes_buf (key->data, sizeof key->data);
  return key;
}

CrKey *
cr_key_new_from_bytes (const guint8 *data,
                       gsize         len)
{
  CrKey *key;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (len == CR_KEY_SIZE, NULL);

  key = cr_key_alloc ();
  memcpy (key->data, data, CR_KEY_SIZE);
  return key;
}

/**
 * cr_key_new_from_hex:
 * @text: 64 hex digits, in any case; spaces, newlines and dashes between
 *   groups are ignored so a typed recovery key is accepted as written.
 *
 * Returns: (transfer full) (nullable): the key, or %NULL with
 *   %CR_KEY_ERROR_INVALID.
 */
CrKey *
cr_key_new_from_hex (const char  *text,
                     GError     **error)
{
  g_autoptr(CrKey) key = NULL;
  guint n = 0;

  g_return_val_if_fail (text != NULL, NULL);

  key = cr_key_alloc ();
  for (const char *p = text; *p; p++)
    {
      int v;

      if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '-')
        continue;

      v = g_ascii_xdigit_value (*p);
      if (v < 0 || n >= CR_KEY_SIZE * 2)
        {
          n = G_MAXUINT;
          break;
        }

      if (n % 2 == 0)
        key->data[n / 2] = (guint8) (v << 4);
      else
        key->data[n / 2] |= (guint8) v;
      n++;
    }

  if (n != CR_KEY_SIZE * 2)
    {
      g_set_error_literal (error, CR_KEY_ERROR, CR_KEY_ERROR_INVALID,
                           "A key is 64 hexadecimal digits (0–9, a–f)");
      return NULL;
    }

  return g_steal_pointer (&key);
}

/**
 * cr_key_new_from_key_file:
 * @path: a file holding the key as 64 hex digits
 *
 * Refuses a file that the group or others can read, as ssh refuses a
 * private key.
 *
 * Returns: (transfer full) (nullable): the key
 */
CrKey *
cr_key_new_from_key_file (const char  *path,
                          GError     **error)
{
  struct stat st;
  char buf[256];
  FILE *fp;
  size_t len;
  CrKey *key;

  g_return_val_if_fail (path != NULL, NULL);

  if (stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, CR_KEY_ERROR, CR_KEY_ERROR_FILE,
                   "Cannot read key file “%s”: %s", path, g_strerror (saved));
      return NULL;
    }

  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, CR_KEY_ERROR, CR_KEY_ERROR_FILE,
                   "Key file “%s” is not a regular file", path);
      return NULL;
    }

  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_set_error (error, CR_KEY_ERROR, CR_KEY_ERROR_INSECURE_FILE,
                   "Key file “%s” can be read by others (mode %04o); "
                   "run chmod 600 on it", path, (guint) (st.st_mode & 07777));
      return NULL;
    }

  fp = fopen (path, "re");
  if (fp == NULL)
    {
      int saved = errno;
      g_set_error (error, CR_KEY_ERROR, CR_KEY_ERROR_FILE,
                   "Cannot read key file “%s”: %s", path, g_strerror (saved));
      return NULL;
    }

  len = fread (buf, 1, sizeof buf - 1, fp);
  fclose (fp);
  buf[len] = '\0';

  key = cr_key_new_from_hex (buf, error);
  sodium_memzero (buf, sizeof buf);
  if (key == NULL)
    g_prefix_error (error, "Key file “%s”: ", path);
  return key;
}

CrKey *
cr_key_copy (const CrKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  return cr_key_new_from_bytes (key->data, CR_KEY_SIZE);
}

void
cr_key_free (CrKey *key)
{
  if (key != NULL)
    sodium_free (key); /* wipes before unmapping */
}

const guint8 *
cr_key_get_data (const CrKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  return key->data;
}

gboolean
cr_key_equal (const CrKey *a,
              const CrKey *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);
  return sodium_memcmp (a->data, b->data, CR_KEY_SIZE) == 0;
}

static char *
secret_string_new (gsize len)
{
  char *s;

  ensure_sodium ();
  s = sodium_malloc (len + 1);
  if (s == NULL)
    g_error ("Could not allocate locked memory for a key");
  memset (s, 0, len + 1);
  return s;
}

void
cr_key_free_string (char *secret)
{
  if (secret != NULL)
    sodium_free (secret);
}

char *
cr_key_to_hex (const CrKey *key)
{
  char *s;

  g_return_val_if_fail (key != NULL, NULL);

  s = secret_string_new (CR_KEY_SIZE * 2);
  sodium_bin2hex (s, CR_KEY_SIZE * 2 + 1, key->data, CR_KEY_SIZE);
  return s;
}

char *
cr_key_to_recovery_string (const CrKey *key)
{
  static const char digits[] = "0123456789ABCDEF";
  char *s;
  char *p;

  g_return_val_if_fail (key != NULL, NULL);

  /* 16 groups of four digits, four groups a line. */
  s = secret_string_new (16 * 5);
  p = s;
  for (guint i = 0; i < CR_KEY_SIZE; i++)
    {
      *p++ = digits[key->data[i] >> 4];
      *p++ = digits[key->data[i] & 0xf];
      if (i % 2 == 1 && i != CR_KEY_SIZE - 1)
        *p++ = (i % 8 == 7) ? '\n' : ' ';
    }
  *p = '\0';
  return s;
}

static void
set_b64 (JsonBuilder  *builder,
         const char   *name,
         const guint8 *data,
         gsize         len)
{
  g_autofree char *b64 = g_base64_encode (data, len);
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, b64);
}

/**
 * cr_key_write_wrapped:
 *
 * Writes @key to @path encrypted under @passphrase (Argon2id from libsodium,
 * then crypto_secretbox). The file holds no patient data; it goes beside the
 * database so that both move together.
 */
gboolean
cr_key_write_wrapped (const CrKey  *key,
                      const char   *passphrase,
                      const char   *path,
                      GError      **error)
{
  guint8 salt[crypto_pwhash_SALTBYTES];
  guint8 nonce[crypto_secretbox_NONCEBYTES];
  guint8 cipher[crypto_secretbox_MACBYTES + CR_KEY_SIZE];
  guint8 *kek;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  unsigned long long ops = crypto_pwhash_OPSLIMIT_MODERATE;
  size_t mem = crypto_pwhash_MEMLIMIT_MODERATE;

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (passphrase != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  ensure_sodium ();

  /* Tests may lower the cost; never below libsodium's interactive floor. */
  if (g_getenv ("CHARTROOM_TEST_FAST_KDF") != NULL)
    {
      ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    }

  randombytes_buf (salt, sizeof salt);
  randombytes_buf (nonce, sizeof nonce);

  kek = sodium_malloc (crypto_secretbox_KEYBYTES);
  if (crypto_pwhash (kek, crypto_secretbox_KEYBYTES, passphrase, strlen (passphrase),
                     salt, ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      sodium_free (kek);
      g_set_error_literal (error, CR_KEY_ERROR, CR_KEY_ERROR_FILE,
                           "Not enough memory to derive a key from the passphrase");
      return FALSE;
    }

  crypto_secretbox_easy (cipher, key->data, CR_KEY_SIZE, nonce, kek);
  sodium_free (kek);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "chartroom-wrapped-key");
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, WRAP_VERSION);
  json_builder_set_member_name (builder, "kdf");
  json_builder_add_string_value (builder, "argon2id13");
  json_builder_set_member_name (builder, "opslimit");
  json_builder_add_int_value (builder, (gint64) ops);
  json_builder_set_member_name (builder, "memlimit");
  json_builder_add_int_value (builder, (gint64) mem);
  set_b64 (builder, "salt", salt, sizeof salt);
  set_b64 (builder, "nonce", nonce, sizeof nonce);
  set_b64 (builder, "wrapped", cipher, sizeof cipher);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);

  /* Written atomically; mode 0600 like any secret. */
  if (!g_file_set_contents_full (path, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    return FALSE;

  return TRUE;
}

static gboolean
get_b64 (JsonObject  *obj,
         const char  *name,
         guint8      *out,
         gsize        len)
{
  const char *s;
  g_autofree guchar *raw = NULL;
  gsize raw_len = 0;

  if (!json_object_has_member (obj, name))
    return FALSE;
  s = json_object_get_string_member_with_default (obj, name, NULL);
  if (s == NULL)
    return FALSE;
  raw = g_base64_decode (s, &raw_len);
  if (raw_len != len)
    return FALSE;
  memcpy (out, raw, len);
  return TRUE;
}

CrKey *
cr_key_read_wrapped (const char  *path,
                     const char  *passphrase,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CrKey) key = NULL;
  guint8 salt[crypto_pwhash_SALTBYTES];
  guint8 nonce[crypto_secretbox_NONCEBYTES];
  guint8 cipher[crypto_secretbox_MACBYTES + CR_KEY_SIZE];
  guint8 *kek;
  JsonObject *obj;
  JsonNode *root;
  gint64 ops, mem;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (passphrase != NULL, NULL);

  ensure_sodium ();

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, CR_KEY_ERROR, CR_KEY_ERROR_FILE,
                   "Cannot read the practice’s key file “%s”: %s", path, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto bad_file;
  obj = json_node_get_object (root);
  if (g_strcmp0 (json_object_get_string_member_with_default (obj, "format", ""),
                 "chartroom-wrapped-key") != 0 ||
      json_object_get_int_member_with_default (obj, "version", 0) != WRAP_VERSION ||
      g_strcmp0 (json_object_get_string_member_with_default (obj, "kdf", ""), "argon2id13") != 0)
    goto bad_file;

  ops = json_object_get_int_member_with_default (obj, "opslimit", 0);
  mem = json_object_get_int_member_with_default (obj, "memlimit", 0);
  /* Bound the cost a file can ask for, so a crafted file cannot exhaust memory. */
  if (ops < (gint64) crypto_pwhash_OPSLIMIT_MIN || ops > 64 ||
      mem < (gint64) crypto_pwhash_MEMLIMIT_INTERACTIVE || mem > (gint64) 4 * 1024 * 1024 * 1024)
    goto bad_file;

  if (!get_b64 (obj, "salt", salt, sizeof salt) ||
      !get_b64 (obj, "nonce", nonce, sizeof nonce) ||
      !get_b64 (obj, "wrapped", cipher, sizeof cipher))
    goto bad_file;

  kek = sodium_malloc (crypto_secretbox_KEYBYTES);
  if (crypto_pwhash (kek, crypto_secretbox_KEYBYTES, passphrase, strlen (passphrase),
                     salt, (unsigned long long) ops, (size_t) mem,
                     crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      sodium_free (kek);
      g_set_error_literal (error, CR_KEY_ERROR, CR_KEY_ERROR_FILE,
                           "Not enough memory to derive a key from the passphrase");
      return NULL;
    }

  key = cr_key_alloc ();
  if (crypto_secretbox_open_easy (key->data, cipher, sizeof cipher, nonce, kek) != 0)
    {
      sodium_free (kek);
      g_set_error_literal (error, CR_KEY_ERROR, CR_KEY_ERROR_WRONG_PASSPHRASE,
                           "The passphrase is not correct");
      return NULL;
    }
  sodium_free (kek);

  return g_steal_pointer (&key);

bad_file:
  g_set_error (error, CR_KEY_ERROR, CR_KEY_ERROR_FILE,
               "“%s” is not a Chartroom key file, or it is damaged", path);
  return NULL;
}

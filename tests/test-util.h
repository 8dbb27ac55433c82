/* test-util.h: what the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cr-store.h"

G_BEGIN_DECLS

typedef struct
{
  char    *dir;    /* a fresh private folder, removed after the test */
  char    *path;   /* dir/practice.chartroom */
  CrKey   *key;
  CrStore *store;  /* a fresh encrypted practice database */
} StoreFixture;

void        store_fixture_setup     (StoreFixture  *fixture,
                                     gconstpointer  data);
void        store_fixture_teardown  (StoreFixture  *fixture,
                                     gconstpointer  data);

/* ../shared/data (or $CHARTROOM_SHARED_DATA): the real test data. Returns
 * NULL and marks the test skipped, with a clear message, where it is absent. */
char       *test_shared_data_path   (const char    *first_element,
                                     ...) G_GNUC_NULL_TERMINATED;
char       *test_make_temp_dir      (void);
void        test_remove_tree        (const char    *path);
/* Does any file in @dir hold @needle (bytes) anywhere? */
gboolean    test_dir_contains       (const char    *dir,
                                     const char    *needle);

G_END_DECLS

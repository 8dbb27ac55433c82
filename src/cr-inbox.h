/* cr-inbox.h: the documents filed to no patient yet, and filing them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-document-viewer.h"
#include "cr-filing-panel.h"
#include "cr-import-documents.h"
#include "cr-store.h"

G_BEGIN_DECLS

#define CR_TYPE_INBOX (cr_inbox_get_type ())

G_DECLARE_FINAL_TYPE (CrInbox, cr_inbox, CR, INBOX, AdwWindow)

GtkWidget         *cr_inbox_new                (GtkWindow          *parent,
                                                CrStore            *store);
/* The open inbox window of @store, if any. (transfer none) (nullable) */
CrInbox           *cr_inbox_find               (CrStore            *store);
/* Reads the inbox again off the main loop, keeping the selection. */
void               cr_inbox_reload             (CrInbox            *self);
gboolean           cr_inbox_get_busy           (CrInbox            *self);
GListModel        *cr_inbox_get_documents      (CrInbox            *self);
gint64             cr_inbox_get_selected_id    (CrInbox            *self);
void               cr_inbox_select             (CrInbox            *self,
                                                gint64              document_id);
CrDocumentViewer  *cr_inbox_get_viewer         (CrInbox            *self);
CrFilingPanel     *cr_inbox_get_filing_panel   (CrInbox            *self);
/* Imports @paths into the inbox, as the file chooser and a drop do.
 * (transfer none) */
CrImportDocuments *cr_inbox_import             (CrInbox            *self,
                                                const char * const *paths);
/* Opens the Split dialog for the selected document. */
void               cr_inbox_show_split_dialog  (CrInbox            *self);
/* What the Split dialog calls: splits the selected document by @ranges
 * ("1-3, 4, 5-9") off the main loop. */
void               cr_inbox_split_selected     (CrInbox            *self,
                                                const char         *ranges);
/* The Split dialog's preview of @ranges for @n_pages: (transfer full) a
 * line per part, or NULL with @error set. */
char              *cr_inbox_describe_ranges    (const char         *ranges,
                                                guint               n_pages,
                                                GError            **error);
/* Shows the inbox's count in @menu's "main.inbox" item ("Inbox (12)"). */
void               cr_inbox_update_menu_count  (GMenuModel         *menu,
                                                gint64              count);

/* Keeps the "main.inbox" item of @sidebar's primary menu showing the
 * count of @main_view's practice (its "store"), refreshed as it opens. */
void               _cr_inbox_track_menu_count  (GtkWidget          *main_view,
                                                GtkWidget          *sidebar);

G_END_DECLS

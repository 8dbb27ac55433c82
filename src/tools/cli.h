/* cli.h: chartroom-cli's commands and what they share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cr-store.h"

G_BEGIN_DECLS

typedef struct
{
  const char *database;  /* --database, or the default practice */
  const char *key_file;  /* --key-file, or NULL for the keyring */
} CliOptions;

typedef int (*CliCommandFunc) (CliOptions *options,
                               int         argc,
                               char      **argv);

typedef struct
{
  const char     *name;
  const char     *usage;       /* the arguments, after the command's name */
  const char     *description; /* one line */
  CliCommandFunc  func;
} CliCommand;

/* Exit codes, as DESIGN.md says. */
#define CLI_EXIT_OK    0
#define CLI_EXIT_ERROR 1
#define CLI_EXIT_USAGE 2

CrStore *cli_open_store  (CliOptions   *options,
                          GError      **error);
CrKey   *cli_load_key    (CliOptions   *options,
                          const char   *database_id,
                          GError      **error);
int      cli_fail        (GError       *error);
int      cli_usage_error (const char   *command,
                          const char   *format,
                          ...) G_GNUC_PRINTF (2, 3);
/* Writes one tab-separated field: tabs and newlines inside become spaces. */
void     cli_print_field (GString      *line,
                          const char   *value);
void     cli_print_line  (GString      *line);

/* Commands: one file each. */
int cli_cmd_init     (CliOptions *options, int argc, char **argv);
int cli_cmd_audit    (CliOptions *options, int argc, char **argv);
int cli_cmd_codes    (CliOptions *options, int argc, char **argv);
int cli_cmd_demo     (CliOptions *options, int argc, char **argv);
int cli_cmd_patients (CliOptions *options, int argc, char **argv);
int cli_cmd_report   (CliOptions *options, int argc, char **argv);
int cli_cmd_bench    (CliOptions *options, int argc, char **argv);
int cli_cmd_drugs    (CliOptions *options, int argc, char **argv);
int cli_cmd_documents (CliOptions *options, int argc, char **argv);
int cli_cmd_fhir     (CliOptions *options, int argc, char **argv);

G_END_DECLS

/* cr-types.h: forward declarations and enums of the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _CrStore   CrStore;
typedef struct _CrPatient CrPatient;

/* Progress of long work (imports, demo generation, reports): 0.0 to 1.0.
 * Called on the thread doing the work. */
typedef void (*CrProgressFunc) (double   fraction,
                                gpointer user_data);

typedef enum
{
  CR_SEX_UNKNOWN,
  CR_SEX_FEMALE,
  CR_SEX_MALE,
  CR_SEX_OTHER,
} CrSex;

/* Clinical record (cr-visit.h, cr-clinical.h, cr-chart.h). The nicks are
 * the values stored in the database. */
typedef enum
{
  CR_VISIT_TYPE_OFFICE,
  CR_VISIT_TYPE_PHONE,
  CR_VISIT_TYPE_FOLLOW_UP,
  CR_VISIT_TYPE_OTHER,
} CrVisitType;

typedef enum
{
  CR_VISIT_STATUS_DRAFT,
  CR_VISIT_STATUS_SIGNED,
} CrVisitStatus;

typedef enum
{
  CR_PROBLEM_STATUS_ACTIVE,
  CR_PROBLEM_STATUS_RESOLVED,
} CrProblemStatus;

typedef enum
{
  CR_ALLERGY_SEVERITY_UNKNOWN,
  CR_ALLERGY_SEVERITY_MILD,
  CR_ALLERGY_SEVERITY_MODERATE,
  CR_ALLERGY_SEVERITY_SEVERE,
} CrAllergySeverity;

typedef enum
{
  CR_OUTCOME_RESULT_RESOLVED,
  CR_OUTCOME_RESULT_IMPROVED,
  CR_OUTCOME_RESULT_UNCHANGED,
  CR_OUTCOME_RESULT_WORSENED,
  CR_OUTCOME_RESULT_ADVERSE_EFFECT,
} CrOutcomeResult;

/* The kinds of clinical row that can be marked entered-in-error. */
typedef enum
{
  CR_CLINICAL_KIND_VISIT,
  CR_CLINICAL_KIND_DIAGNOSIS,
  CR_CLINICAL_KIND_PROBLEM,
  CR_CLINICAL_KIND_ALLERGY,
  CR_CLINICAL_KIND_PRESCRIPTION,
  CR_CLINICAL_KIND_OUTCOME,
  CR_CLINICAL_KIND_FOLLOW_UP,
} CrClinicalKind;

/* What a filed document is (cr-documents.h). The nicks are the values
 * stored in documents.category; NONE (stored as NULL) = not filed yet. */
typedef enum
{
  CR_DOCUMENT_CATEGORY_NONE,
  CR_DOCUMENT_CATEGORY_LAB_RESULT,
  CR_DOCUMENT_CATEGORY_IMAGING_REPORT,
  CR_DOCUMENT_CATEGORY_REFERRAL_LETTER,
  CR_DOCUMENT_CATEGORY_CONSULTATION_NOTE,
  CR_DOCUMENT_CATEGORY_DISCHARGE_SUMMARY,
  CR_DOCUMENT_CATEGORY_CONSENT_FORM,
  CR_DOCUMENT_CATEGORY_INSURANCE,
  CR_DOCUMENT_CATEGORY_CORRESPONDENCE,
  CR_DOCUMENT_CATEGORY_OTHER,
} CrDocumentCategory;

G_END_DECLS

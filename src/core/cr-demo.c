/* cr-demo.c: a deterministic synthetic practice for demos and benchmarks
 *
 * Every patient is drawn from one GRand seeded by the caller, so the same
 * seed gives the same practice. Dates are offsets from the day of
 * generation (visits over the last eight years, none in the future), and
 * no draw depends on that day, so two runs on different days differ only
 * by the shift of their dates.
 *
 * Rows are inserted directly with cached statements, 2,000 patients a
 * transaction, with one audit entry for the whole practice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-demo"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cr-audit.h"
#include "cr-date.h"
#include "cr-demo.h"
#include "cr-store-private.h"

#define BATCH_PATIENTS   2000
#define PROGRESS_EVERY   500
#define HISTORY_DAYS     (8 * 365)
#define DRAFT_DAYS       14
#define MAX_CHRONIC      8
#define MAX_RX_PER_VISIT 6

G_DEFINE_QUARK (cr-demo-error-quark, cr_demo_error)

/* ---- codes ------------------------------------------------------------ */

/* Every code the generator writes; displays are CMS's long descriptions
 * (FY2026 order file), codes without their dot. */
enum
{
  /* chronic conditions */
  DX_E119, DX_E1165, DX_I10, DX_J45909, DX_J45901, DX_E785, DX_E039, DX_F411,
  DX_F329, DX_M170, DX_I480, DX_N189, DX_E669, DX_J449,
  /* complaints that come back */
  DX_R519, DX_G43909, DX_M5450, DX_M62830, DX_J029, DX_N390, DX_R300, DX_L309,
  DX_L209, DX_K219, DX_J0190, DX_H6690, DX_J302, DX_B354, DX_L700, DX_G4700,
  DX_R42,
  /* acute one-offs */
  DX_J069, DX_J209, DX_R059, DX_J111, DX_A084, DX_R1110, DX_S93401A, DX_L03115,
  DX_H109, DX_K5900, DX_J189, DX_M25561, DX_M542, DX_R509, DX_L509, DX_R1013,
  DX_H6121,
  /* prevention */
  DX_Z0000, DX_Z00129, DX_Z23, DX_Z7984, DX_Z7901,
  /* beside others */
  DX_R0981, DX_L299, DX_F17210, DX_Z87891,
  N_CODES,
  NO_DX = 0xffff
};

#define ICD(c, d) { "icd10cm", c, d }

static const CrDemoCode codes[N_CODES] = {
  [DX_E119] = ICD ("E119", "Type 2 diabetes mellitus without complications"),
  [DX_E1165] = ICD ("E1165", "Type 2 diabetes mellitus with hyperglycemia"),
  [DX_I10] = ICD ("I10", "Essential (primary) hypertension"),
  [DX_J45909] = ICD ("J45909", "Unspecified asthma, uncomplicated"),
  [DX_J45901] = ICD ("J45901", "Unspecified asthma with (acute) exacerbation"),
  [DX_E785] = ICD ("E785", "Hyperlipidemia, unspecified"),
  [DX_E039] = ICD ("E039", "Hypothyroidism, unspecified"),
  [DX_F411] = ICD ("F411", "Generalized anxiety disorder"),
  [DX_F329] = ICD ("F329", "Major depressive disorder, single episode, unspecified"),
  [DX_M170] = ICD ("M170", "Bilateral primary osteoarthritis of knee"),
  [DX_I480] = ICD ("I480", "Paroxysmal atrial fibrillation"),
  [DX_N189] = ICD ("N189", "Chronic kidney disease, unspecified"),
  [DX_E669] = ICD ("E669", "Obesity, unspecified"),
  [DX_J449] = ICD ("J449", "Chronic obstructive pulmonary disease, unspecified"),
  [DX_R519] = ICD ("R519", "Headache, unspecified"),
  [DX_G43909] = ICD ("G43909", "Migraine, unspecified, not intractable, without status migrainosus"),
  [DX_M5450] = ICD ("M5450", "Low back pain, unspecified"),
  [DX_M62830] = ICD ("M62830", "Muscle spasm of back"),
  [DX_J029] = ICD ("J029", "Acute pharyngitis, unspecified"),
  [DX_N390] = ICD ("N390", "Urinary tract infection, site not specified"),
  [DX_R300] = ICD ("R300", "Dysuria"),
  [DX_L309] = ICD ("L309", "Dermatitis, unspecified"),
  [DX_L209] = ICD ("L209", "Atopic dermatitis, unspecified"),
  [DX_K219] = ICD ("K219", "Gastro-esophageal reflux disease without esophagitis"),
  [DX_J0190] = ICD ("J0190", "Acute sinusitis, unspecified"),
  [DX_H6690] = ICD ("H6690", "Otitis media, unspecified, unspecified ear"),
  [DX_J302] = ICD ("J302", "Other seasonal allergic rhinitis"),
  [DX_B354] = ICD ("B354", "Tinea corporis"),
  [DX_L700] = ICD ("L700", "Acne vulgaris"),
  [DX_G4700] = ICD ("G4700", "Insomnia, unspecified"),
  [DX_R42] = ICD ("R42", "Dizziness and giddiness"),
  [DX_J069] = ICD ("J069", "Acute upper respiratory infection, unspecified"),
  [DX_J209] = ICD ("J209", "Acute bronchitis, unspecified"),
  [DX_R059] = ICD ("R059", "Cough, unspecified"),
  [DX_J111] = ICD ("J111", "Influenza due to unidentified influenza virus with other respiratory manifestations"),
  [DX_A084] = ICD ("A084", "Viral intestinal infection, unspecified"),
  [DX_R1110] = ICD ("R1110", "Vomiting, unspecified"),
  [DX_S93401A] = ICD ("S93401A", "Sprain of unspecified ligament of right ankle, initial encounter"),
  [DX_L03115] = ICD ("L03115", "Cellulitis of right lower limb"),
  [DX_H109] = ICD ("H109", "Unspecified conjunctivitis"),
  [DX_K5900] = ICD ("K5900", "Constipation, unspecified"),
  [DX_J189] = ICD ("J189", "Pneumonia, unspecified organism"),
  [DX_M25561] = ICD ("M25561", "Pain in right knee"),
  [DX_M542] = ICD ("M542", "Cervicalgia"),
  [DX_R509] = ICD ("R509", "Fever, unspecified"),
  [DX_L509] = ICD ("L509", "Urticaria, unspecified"),
  [DX_R1013] = ICD ("R1013", "Epigastric pain"),
  [DX_H6121] = ICD ("H6121", "Impacted cerumen, right ear"),
  [DX_Z0000] = ICD ("Z0000", "Encounter for general adult medical examination without abnormal findings"),
  [DX_Z00129] = ICD ("Z00129", "Encounter for routine child health examination without abnormal findings"),
  [DX_Z23] = ICD ("Z23", "Encounter for immunization"),
  [DX_Z7984] = ICD ("Z7984", "Long term (current) use of oral hypoglycemic drugs"),
  [DX_Z7901] = ICD ("Z7901", "Long term (current) use of anticoagulants"),
  [DX_R0981] = ICD ("R0981", "Nasal congestion"),
  [DX_L299] = ICD ("L299", "Pruritus, unspecified"),
  [DX_F17210] = ICD ("F17210", "Nicotine dependence, cigarettes, uncomplicated"),
  [DX_Z87891] = ICD ("Z87891", "Personal history of nicotine dependence"),
};

/* ---- drugs ------------------------------------------------------------ */

/* Allergies, as flags: a drug lists the ones that forbid it. */
enum
{
  ALG_PENICILLIN = 1 << 0,
  ALG_SULFA      = 1 << 1,
  ALG_NSAID      = 1 << 2,
  ALG_ACE        = 1 << 3,
  ALG_CODEINE    = 1 << 4,
  ALG_LATEX      = 1 << 5,
  ALG_PEANUT     = 1 << 6,
  ALG_SHELLFISH  = 1 << 7,
  ALG_BEE        = 1 << 8,
};

typedef struct
{
  const char *drug;
  const char *strength;
  const char *form;
  const char *dose;
  const char *route;
  const char *frequency;
  guint       days;        /* a course; 0 = long-term, 90 days a fill */
  const char *quantity;
  guint       refills;
  guint       forbidden;   /* ALG_* flags */
  const char *adverse;     /* what an adverse effect looks like */
} Drug;

enum
{
  RX_NONE,
  RX_METFORMIN_500, RX_METFORMIN_1000, RX_GLIPIZIDE_5, RX_EMPAGLIFLOZIN_10,
  RX_LISINOPRIL_10, RX_LOSARTAN_50, RX_AMLODIPINE_5, RX_HCTZ_25,
  RX_ATORVASTATIN_20, RX_SIMVASTATIN_20, RX_LEVOTHYROXINE_50,
  RX_ALBUTEROL, RX_FLUTICASONE_INH, RX_SERTRALINE_50, RX_ESCITALOPRAM_10,
  RX_MELOXICAM_7_5, RX_METOPROLOL_50, RX_APIXABAN_5,
  RX_IBUPROFEN_400, RX_IBUPROFEN_600, RX_NAPROXEN_500, RX_CYCLOBENZAPRINE_10,
  RX_SUMATRIPTAN_50, RX_AMOXICILLIN_500, RX_PENICILLIN_V_500, RX_AZITHROMYCIN_250,
  RX_AMOX_CLAV_875, RX_DOXYCYCLINE_100, RX_NITROFURANTOIN_100, RX_SMX_TMP,
  RX_CEPHALEXIN_500, RX_TRIAMCINOLONE_CREAM, RX_HYDROCORTISONE_CREAM,
  RX_OMEPRAZOLE_20, RX_FAMOTIDINE_20, RX_FLUTICASONE_NASAL, RX_LORATADINE_10,
  RX_CLOTRIMAZOLE_CREAM, RX_KETOCONAZOLE_CREAM, RX_ADAPALENE_GEL, RX_TRAZODONE_50,
  RX_BENZONATATE_100, RX_OSELTAMIVIR_75, RX_ONDANSETRON_4, RX_PREDNISONE_20,
  RX_MUPIROCIN, RX_PEG3350, RX_OLOPATADINE, RX_CETIRIZINE_10,
  N_DRUGS
};

/* Names, strengths and forms as in the FDA Orange Book. */
static const Drug drugs[N_DRUGS] = {
  [RX_METFORMIN_500] = { "Metformin hydrochloride", "500 mg", "tablet", "1 tablet", "oral", "twice daily with meals", 0, "180", 3, 0, "Diarrhea and bloating" },
  [RX_METFORMIN_1000] = { "Metformin hydrochloride", "1000 mg", "tablet", "1 tablet", "oral", "twice daily with meals", 0, "180", 3, 0, "Diarrhea and bloating" },
  [RX_GLIPIZIDE_5] = { "Glipizide", "5 mg", "tablet", "1 tablet", "oral", "once daily before breakfast", 0, "90", 3, ALG_SULFA, "Low blood sugar episodes" },
  [RX_EMPAGLIFLOZIN_10] = { "Empagliflozin", "10 mg", "tablet", "1 tablet", "oral", "once daily", 0, "90", 3, 0, "Genital yeast infection" },
  [RX_LISINOPRIL_10] = { "Lisinopril", "10 mg", "tablet", "1 tablet", "oral", "once daily", 0, "90", 3, ALG_ACE, "Persistent dry cough" },
  [RX_LOSARTAN_50] = { "Losartan potassium", "50 mg", "tablet", "1 tablet", "oral", "once daily", 0, "90", 3, 0, "Dizziness" },
  [RX_AMLODIPINE_5] = { "Amlodipine besylate", "5 mg", "tablet", "1 tablet", "oral", "once daily", 0, "90", 3, 0, "Ankle swelling" },
  [RX_HCTZ_25] = { "Hydrochlorothiazide", "25 mg", "tablet", "1 tablet", "oral", "once daily in the morning", 0, "90", 3, 0, "Dizziness on standing" },
  [RX_ATORVASTATIN_20] = { "Atorvastatin calcium", "20 mg", "tablet", "1 tablet", "oral", "once daily in the evening", 0, "90", 3, 0, "Muscle aches" },
  [RX_SIMVASTATIN_20] = { "Simvastatin", "20 mg", "tablet", "1 tablet", "oral", "once daily in the evening", 0, "90", 3, 0, "Muscle aches" },
  [RX_LEVOTHYROXINE_50] = { "Levothyroxine sodium", "50 mcg", "tablet", "1 tablet", "oral", "once daily on an empty stomach", 0, "90", 3, 0, "Palpitations" },
  [RX_ALBUTEROL] = { "Albuterol sulfate", "90 mcg/actuation", "metered-dose inhaler", "2 puffs", "inhalation", "every 4 to 6 hours as needed", 0, "1 inhaler (200 puffs)", 2, 0, "Tremor and palpitations" },
  [RX_FLUTICASONE_INH] = { "Fluticasone propionate", "110 mcg/actuation", "metered-dose inhaler", "2 puffs", "inhalation", "twice daily; rinse mouth after use", 0, "1 inhaler (120 puffs)", 5, 0, "Oral thrush" },
  [RX_SERTRALINE_50] = { "Sertraline hydrochloride", "50 mg", "tablet", "1 tablet", "oral", "once daily", 0, "90", 1, 0, "Nausea and poor sleep" },
  [RX_ESCITALOPRAM_10] = { "Escitalopram oxalate", "10 mg", "tablet", "1 tablet", "oral", "once daily", 0, "90", 1, 0, "Nausea" },
  [RX_MELOXICAM_7_5] = { "Meloxicam", "7.5 mg", "tablet", "1 tablet", "oral", "once daily with food", 0, "90", 1, ALG_NSAID, "Stomach upset" },
  [RX_METOPROLOL_50] = { "Metoprolol succinate", "50 mg", "extended-release tablet", "1 tablet", "oral", "once daily", 0, "90", 3, 0, "Fatigue and slow pulse" },
  [RX_APIXABAN_5] = { "Apixaban", "5 mg", "tablet", "1 tablet", "oral", "twice daily", 0, "180", 3, 0, "Easy bruising and nosebleeds" },
  [RX_IBUPROFEN_400] = { "Ibuprofen", "400 mg", "tablet", "1 tablet", "oral", "every 6 to 8 hours as needed, with food", 7, "30", 0, ALG_NSAID, "Stomach upset" },
  [RX_IBUPROFEN_600] = { "Ibuprofen", "600 mg", "tablet", "1 tablet", "oral", "every 8 hours with food", 10, "30", 0, ALG_NSAID, "Stomach upset" },
  [RX_NAPROXEN_500] = { "Naproxen", "500 mg", "tablet", "1 tablet", "oral", "twice daily with food", 10, "20", 0, ALG_NSAID, "Heartburn" },
  [RX_CYCLOBENZAPRINE_10] = { "Cyclobenzaprine hydrochloride", "10 mg", "tablet", "1 tablet", "oral", "at bedtime as needed", 7, "10", 0, 0, "Drowsiness the next day" },
  [RX_SUMATRIPTAN_50] = { "Sumatriptan succinate", "50 mg", "tablet", "1 tablet", "oral", "at onset of migraine; may repeat once after 2 hours", 30, "9", 2, 0, "Chest tightness" },
  [RX_AMOXICILLIN_500] = { "Amoxicillin", "500 mg", "capsule", "1 capsule", "oral", "three times daily", 10, "30", 0, ALG_PENICILLIN, "Diarrhea" },
  [RX_PENICILLIN_V_500] = { "Penicillin V potassium", "500 mg", "tablet", "1 tablet", "oral", "twice daily", 10, "20", 0, ALG_PENICILLIN, "Nausea" },
  [RX_AZITHROMYCIN_250] = { "Azithromycin", "250 mg", "tablet", "2 tablets on day 1, then 1 tablet", "oral", "once daily", 5, "6", 0, 0, "Nausea and diarrhea" },
  [RX_AMOX_CLAV_875] = { "Amoxicillin and clavulanate potassium", "875 mg/125 mg", "tablet", "1 tablet", "oral", "twice daily with food", 7, "14", 0, ALG_PENICILLIN, "Diarrhea" },
  [RX_DOXYCYCLINE_100] = { "Doxycycline hyclate", "100 mg", "capsule", "1 capsule", "oral", "twice daily with a full glass of water", 7, "14", 0, 0, "Nausea and sun sensitivity" },
  [RX_NITROFURANTOIN_100] = { "Nitrofurantoin monohydrate/macrocrystals", "100 mg", "capsule", "1 capsule", "oral", "twice daily with food", 5, "10", 0, 0, "Nausea" },
  [RX_SMX_TMP] = { "Sulfamethoxazole and trimethoprim", "800 mg/160 mg", "tablet", "1 tablet", "oral", "twice daily", 3, "6", 0, ALG_SULFA, "Itchy rash" },
  [RX_CEPHALEXIN_500] = { "Cephalexin", "500 mg", "capsule", "1 capsule", "oral", "four times daily", 7, "28", 0, 0, "Diarrhea" },
  [RX_TRIAMCINOLONE_CREAM] = { "Triamcinolone acetonide", "0.1%", "cream", "a thin layer", "topical", "twice daily", 14, "30 g tube", 1, 0, "Skin irritation" },
  [RX_HYDROCORTISONE_CREAM] = { "Hydrocortisone", "2.5%", "cream", "a thin layer", "topical", "twice daily", 14, "28 g tube", 0, 0, "Skin irritation" },
  [RX_OMEPRAZOLE_20] = { "Omeprazole", "20 mg", "delayed-release capsule", "1 capsule", "oral", "once daily before breakfast", 56, "28", 1, 0, "Headache" },
  [RX_FAMOTIDINE_20] = { "Famotidine", "20 mg", "tablet", "1 tablet", "oral", "twice daily", 30, "60", 0, 0, "Headache" },
  [RX_FLUTICASONE_NASAL] = { "Fluticasone propionate", "50 mcg/spray", "nasal spray", "2 sprays in each nostril", "nasal", "once daily", 60, "1 bottle (120 sprays)", 2, 0, "Nosebleeds" },
  [RX_LORATADINE_10] = { "Loratadine", "10 mg", "tablet", "1 tablet", "oral", "once daily", 30, "30", 2, 0, "Drowsiness" },
  [RX_CLOTRIMAZOLE_CREAM] = { "Clotrimazole", "1%", "cream", "a thin layer", "topical", "twice daily", 28, "30 g tube", 0, 0, "Skin irritation" },
  [RX_KETOCONAZOLE_CREAM] = { "Ketoconazole", "2%", "cream", "a thin layer", "topical", "once daily", 21, "30 g tube", 0, 0, "Skin irritation" },
  [RX_ADAPALENE_GEL] = { "Adapalene", "0.1%", "gel", "a thin layer", "topical", "once daily at bedtime", 90, "45 g tube", 2, 0, "Dryness and peeling" },
  [RX_TRAZODONE_50] = { "Trazodone hydrochloride", "50 mg", "tablet", "1 tablet", "oral", "at bedtime", 30, "30", 1, 0, "Morning grogginess" },
  [RX_BENZONATATE_100] = { "Benzonatate", "100 mg", "capsule", "1 capsule", "oral", "three times daily as needed for cough", 7, "21", 0, 0, "Dizziness" },
  [RX_OSELTAMIVIR_75] = { "Oseltamivir phosphate", "75 mg", "capsule", "1 capsule", "oral", "twice daily", 5, "10", 0, 0, "Nausea and vomiting" },
  [RX_ONDANSETRON_4] = { "Ondansetron", "4 mg", "orally disintegrating tablet", "1 tablet", "oral", "every 8 hours as needed for nausea", 3, "9", 0, 0, "Constipation" },
  [RX_PREDNISONE_20] = { "Prednisone", "20 mg", "tablet", "2 tablets", "oral", "once daily in the morning", 5, "10", 0, 0, "Poor sleep and restlessness" },
  [RX_MUPIROCIN] = { "Mupirocin", "2%", "ointment", "a small amount", "topical", "three times daily", 10, "22 g tube", 0, 0, "Local burning" },
  [RX_PEG3350] = { "Polyethylene glycol 3350", "17 g/dose", "powder for oral solution", "17 g in a glass of water", "oral", "once daily", 14, "1 bottle (238 g)", 0, 0, "Bloating" },
  [RX_OLOPATADINE] = { "Olopatadine hydrochloride", "0.1%", "eye drops", "1 drop in each eye", "ophthalmic", "twice daily", 14, "5 mL bottle", 0, 0, "Eye stinging" },
  [RX_CETIRIZINE_10] = { "Cetirizine hydrochloride", "10 mg", "tablet", "1 tablet", "oral", "once daily", 14, "14", 0, 0, "Drowsiness" },
};

/* ---- allergies -------------------------------------------------------- */

typedef struct
{
  guint       flag;
  guint       weight;
  const char *substance;
  const char *reactions[3];
  const char *severities[3];
} Allergy;

static const Allergy allergies[] = {
  { ALG_PENICILLIN, 40, "Penicillin", { "Hives", "Rash", "Anaphylaxis" }, { "moderate", "mild", "severe" } },
  { ALG_SULFA, 18, "Sulfonamide antibiotics", { "Rash", "Hives", "Fever and rash" }, { "mild", "moderate", "moderate" } },
  { ALG_NSAID, 8, "Nonsteroidal anti-inflammatory drugs", { "Wheezing", "Hives", "Facial swelling" }, { "moderate", "mild", "severe" } },
  { ALG_ACE, 4, "ACE inhibitors", { "Angioedema", "Lip swelling", "Angioedema" }, { "severe", "moderate", "severe" } },
  { ALG_CODEINE, 10, "Codeine", { "Nausea and vomiting", "Itching", "Drowsiness" }, { "mild", "mild", "moderate" } },
  { ALG_LATEX, 5, "Latex", { "Contact dermatitis", "Hives", "Itching" }, { "mild", "moderate", "mild" } },
  { ALG_PEANUT, 6, "Peanut", { "Anaphylaxis", "Hives", "Throat tightness" }, { "severe", "moderate", "severe" } },
  { ALG_SHELLFISH, 6, "Shellfish", { "Hives", "Vomiting", "Anaphylaxis" }, { "moderate", "moderate", "severe" } },
  { ALG_BEE, 3, "Bee venom", { "Anaphylaxis", "Large local swelling", "Hives" }, { "severe", "mild", "moderate" } },
};

/* ---- chronic conditions ----------------------------------------------- */

typedef struct
{
  guint16     dx;
  guint8      min_age;
  double      prevalence;      /* at 60 and over (asthma: at any age) */
  double      female_factor;
  guint       interval_months; /* how often it is reviewed */
  guint8      drug;            /* first line */
  guint8      alternative;     /* when the first line is forbidden or fails */
  guint8      add_on;          /* added when not controlled */
  const char *review;          /* chief complaint at a review */
  const char *subjective;
  const char *exam;
  const char *assessment;
  const char *plan;
  const char *follow_up;
} Chronic;

enum
{
  CH_DIABETES, CH_HYPERTENSION, CH_HYPERLIPIDEMIA, CH_ASTHMA, CH_HYPOTHYROID,
  CH_ANXIETY, CH_DEPRESSION, CH_KNEE_OA, CH_AF, CH_CKD, CH_OBESITY, CH_COPD,
  N_CHRONIC
};

static const Chronic chronic[N_CHRONIC] = {
  [CH_DIABETES] = { DX_E119, 30, 0.20, 0.9, 3, RX_METFORMIN_500, RX_METFORMIN_1000, RX_EMPAGLIFLOZIN_10,
    "Diabetes follow-up",
    "Checks sugars at home; fasting readings mostly 110 to 160. No hypoglycemia.",
    "Feet: skin intact, monofilament sensation normal.",
    "Type 2 diabetes",
    "HbA1c and kidney function today. Diet and activity reviewed.",
    "Diabetes review, HbA1c" },
  [CH_HYPERTENSION] = { DX_I10, 30, 0.45, 1.0, 6, RX_LISINOPRIL_10, RX_LOSARTAN_50, RX_AMLODIPINE_5,
    "Blood pressure check",
    "Home readings around 130s/80s. No headache, chest pain or shortness of breath.",
    "Heart regular, no murmur. No leg edema.",
    "Essential hypertension",
    "Salt reduction and exercise discussed. Basic metabolic panel yearly.",
    "Blood pressure review" },
  [CH_HYPERLIPIDEMIA] = { DX_E785, 35, 0.35, 0.9, 12, RX_ATORVASTATIN_20, RX_SIMVASTATIN_20, RX_NONE,
    "Cholesterol follow-up",
    "Taking statin most days. No muscle pain.",
    "No xanthomas.",
    "Hyperlipidemia",
    "Fasting lipid panel ordered.",
    "Lipid panel" },
  [CH_ASTHMA] = { DX_J45909, 2, 0.08, 1.0, 12, RX_ALBUTEROL, RX_NONE, RX_FLUTICASONE_INH,
    "Asthma review",
    "Rescue inhaler needed about once a week. No night waking.",
    "Lungs clear, no wheeze.",
    "Asthma",
    "Inhaler technique checked. Asthma action plan updated.",
    "Asthma review" },
  [CH_HYPOTHYROID] = { DX_E039, 20, 0.05, 2.5, 12, RX_LEVOTHYROXINE_50, RX_NONE, RX_NONE,
    "Thyroid follow-up",
    "Energy good. No palpitations or weight change.",
    "Thyroid not enlarged.",
    "Hypothyroidism",
    "TSH today.",
    "TSH check" },
  [CH_ANXIETY] = { DX_F411, 16, 0.06, 1.6, 6, RX_SERTRALINE_50, RX_ESCITALOPRAM_10, RX_NONE,
    "Anxiety follow-up",
    "Worry less intense than before; sleeping better. No thoughts of self-harm.",
    "Calm, good eye contact, normal speech.",
    "Generalized anxiety disorder",
    "Counseling referral offered. GAD-7 repeated.",
    "Mood and anxiety review" },
  [CH_DEPRESSION] = { DX_F329, 16, 0.05, 1.5, 6, RX_ESCITALOPRAM_10, RX_SERTRALINE_50, RX_NONE,
    "Mood follow-up",
    "Mood somewhat better; enjoying activities again. Denies suicidal thoughts.",
    "Affect reactive, thought process linear.",
    "Major depressive disorder, single episode",
    "PHQ-9 repeated. Continue counseling.",
    "Depression review" },
  [CH_KNEE_OA] = { DX_M170, 50, 0.14, 1.3, 12, RX_MELOXICAM_7_5, RX_NONE, RX_NONE,
    "Knee pain follow-up",
    "Both knees stiff in the morning, worse on stairs.",
    "Crepitus both knees, no effusion, full extension.",
    "Osteoarthritis of both knees",
    "Weight loss and quadriceps exercises. Physiotherapy referral.",
    "Osteoarthritis review" },
  [CH_AF] = { DX_I480, 60, 0.07, 0.8, 6, RX_METOPROLOL_50, RX_NONE, RX_APIXABAN_5,
    "Atrial fibrillation follow-up",
    "Occasional palpitations, no syncope. No bleeding.",
    "Pulse irregular at times. Heart sounds normal.",
    "Paroxysmal atrial fibrillation",
    "ECG today. Stroke and bleeding risk reviewed.",
    "Atrial fibrillation review" },
  [CH_CKD] = { DX_N189, 55, 0.08, 1.0, 6, RX_NONE, RX_NONE, RX_NONE,
    "Kidney function follow-up",
    "No change in urine output. Avoiding NSAIDs.",
    "No edema.",
    "Chronic kidney disease",
    "Creatinine, eGFR and urine albumin today.",
    "Kidney function check" },
  [CH_OBESITY] = { DX_E669, 18, 0.12, 1.0, 12, RX_NONE, RX_NONE, RX_NONE,
    "Weight management",
    "Trying to eat smaller portions; walking 20 minutes most days.",
    "Central adiposity.",
    "Obesity",
    "Dietitian referral. Goal 5% weight loss.",
    "Weight review" },
  [CH_COPD] = { DX_J449, 50, 0.06, 0.9, 6, RX_ALBUTEROL, RX_NONE, RX_FLUTICASONE_INH,
    "COPD follow-up",
    "Short of breath on one flight of stairs. Morning cough with clear sputum.",
    "Prolonged expiration, scattered wheeze.",
    "Chronic obstructive pulmonary disease",
    "Smoking cessation advised. Spirometry yearly.",
    "COPD review" },
};

/* ---- complaints ------------------------------------------------------- */

enum
{
  RF_FEVER    = 1 << 0,
  RF_LOW_SPO2 = 1 << 1,
  RF_SPRING   = 1 << 2,  /* comes back every spring */
  RF_WINTER   = 1 << 3,
  RF_FEMALE   = 1 << 4,  /* mostly women */
  RF_NO_RX    = 1 << 5,  /* usually no prescription */
};

typedef struct
{
  guint16     dx;
  guint16     extra_dx;     /* a code often written beside it */
  guint8      min_age;
  guint8      max_age;
  guint8      flags;
  guint8      weight;
  const char *complaint;
  const char *subjective;
  const char *exam;
  const char *assessment;
  const char *plan;
  guint8      drug;
  guint8      alternative;  /* if the first is forbidden, or for variety */
  guint8      add_on;
} Reason;

/* Recurring complaints: an affected patient comes back with them. */
static const Reason recurring[] = {
  { DX_R519, NO_DX, 8, 99, 0, 12, "Headache",
    "Band-like headache, worse in the afternoon; screen work and poor sleep.",
    "Neurological exam normal. No neck stiffness.",
    "Tension-type headache.", "Regular meals, sleep and breaks from screens.",
    RX_IBUPROFEN_400, RX_NONE, RX_NONE },
  { DX_G43909, NO_DX, 12, 70, RF_FEMALE, 6, "Migraine",
    "Throbbing one-sided headache with nausea and light sensitivity.",
    "Neurological exam normal.",
    "Migraine without aura.", "Headache diary. Avoid triggers.",
    RX_SUMATRIPTAN_50, RX_IBUPROFEN_400, RX_NONE },
  { DX_M5450, DX_M62830, 18, 99, 0, 14, "Low back pain",
    "Low back pain after lifting; no leg weakness, no bladder or bowel change.",
    "Paraspinal tenderness, straight-leg raise negative.",
    "Mechanical low back pain.", "Stay active; heat. Return if numbness or weakness.",
    RX_NAPROXEN_500, RX_IBUPROFEN_600, RX_CYCLOBENZAPRINE_10 },
  { DX_J029, DX_R509, 3, 60, RF_FEVER, 12, "Sore throat",
    "Sore throat and painful swallowing, no cough.",
    "Tonsils red and swollen with exudate; tender anterior nodes.",
    "Acute pharyngitis.", "Rapid strep test done. Fluids and rest.",
    RX_AMOXICILLIN_500, RX_AZITHROMYCIN_250, RX_NONE },
  { DX_N390, DX_R300, 16, 99, RF_FEMALE, 12, "Burning on urination",
    "Burning and frequent urination, no fever or flank pain.",
    "Mild suprapubic tenderness, no costovertebral angle tenderness. Urine dipstick: leukocytes and nitrites positive.",
    "Uncomplicated urinary tract infection.", "Urine culture sent. Fluids.",
    RX_NITROFURANTOIN_100, RX_SMX_TMP, RX_NONE },
  { DX_L309, DX_L299, 1, 99, 0, 8, "Itchy rash",
    "Itchy red rash on the forearms, comes and goes.",
    "Erythematous scaly patches on both forearms, no infection.",
    "Dermatitis.", "Fragrance-free moisturizer; avoid irritants.",
    RX_TRIAMCINOLONE_CREAM, RX_HYDROCORTISONE_CREAM, RX_NONE },
  { DX_L209, NO_DX, 0, 30, 0, 4, "Eczema flare",
    "Dry itchy skin in the elbow and knee creases.",
    "Lichenified plaques in the flexures.",
    "Atopic dermatitis flare.", "Emollients twice daily.",
    RX_HYDROCORTISONE_CREAM, RX_TRIAMCINOLONE_CREAM, RX_NONE },
  { DX_K219, DX_R1013, 18, 99, 0, 10, "Heartburn",
    "Burning behind the breastbone after meals and at night.",
    "Abdomen soft, mild epigastric tenderness.",
    "Gastro-esophageal reflux.", "Smaller evening meals; raise the head of the bed.",
    RX_OMEPRAZOLE_20, RX_FAMOTIDINE_20, RX_NONE },
  { DX_J0190, DX_R0981, 5, 99, 0, 8, "Sinus pressure",
    "Facial pressure and congestion for ten days, thick nasal discharge.",
    "Maxillary sinus tenderness, purulent nasal discharge.",
    "Acute sinusitis.", "Saline rinses.",
    RX_AMOX_CLAV_875, RX_DOXYCYCLINE_100, RX_FLUTICASONE_NASAL },
  { DX_H6690, DX_R509, 0, 10, RF_FEVER, 8, "Ear pain",
    "Ear pain and fever since last night; pulling at the ear.",
    "Right tympanic membrane red and bulging.",
    "Acute otitis media.", "Recheck ears if not better in 3 days.",
    RX_AMOXICILLIN_500, RX_AZITHROMYCIN_250, RX_NONE },
  { DX_J302, NO_DX, 4, 80, RF_SPRING, 8, "Hay fever",
    "Sneezing, runny nose and itchy eyes, as every spring.",
    "Pale swollen nasal mucosa, clear discharge.",
    "Seasonal allergic rhinitis.", "Pollen avoidance.",
    RX_FLUTICASONE_NASAL, RX_LORATADINE_10, RX_NONE },
  { DX_B354, NO_DX, 2, 99, 0, 3, "Ring-shaped rash",
    "Itchy ring-shaped patch on the trunk.",
    "Annular scaly plaque with central clearing.",
    "Tinea corporis.", "Keep the skin dry.",
    RX_CLOTRIMAZOLE_CREAM, RX_KETOCONAZOLE_CREAM, RX_NONE },
  { DX_L700, NO_DX, 12, 30, 0, 4, "Acne",
    "Spots on the face and back.",
    "Comedones and inflammatory papules on the face.",
    "Acne vulgaris.", "Gentle cleanser.",
    RX_ADAPALENE_GEL, RX_DOXYCYCLINE_100, RX_NONE },
  { DX_G4700, NO_DX, 18, 99, RF_NO_RX, 4, "Trouble sleeping",
    "Difficulty falling asleep, waking at 3 a.m.",
    "Appears tired; exam otherwise normal.",
    "Insomnia.", "Sleep hygiene; no screens in bed.",
    RX_TRAZODONE_50, RX_NONE, RX_NONE },
  { DX_R42, NO_DX, 40, 99, RF_NO_RX, 3, "Dizziness",
    "Brief spinning when turning in bed.",
    "Dix-Hallpike positive on the right. Neurological exam normal.",
    "Benign positional vertigo.", "Epley maneuver performed; home exercises.",
    RX_NONE, RX_NONE, RX_NONE },
};

/* Acute one-offs. */
static const Reason acute[] = {
  { DX_J069, DX_R059, 0, 99, RF_NO_RX, 20, "Cold symptoms",
    "Runny nose, sore throat and cough.",
    "Mild pharyngeal redness, lungs clear.",
    "Viral upper respiratory infection.", "Fluids, rest; no antibiotics needed.",
    RX_BENZONATATE_100, RX_NONE, RX_NONE },
  { DX_J209, DX_R059, 5, 99, 0, 10, "Cough",
    "Productive cough for a week after a cold.",
    "Scattered rhonchi, no crackles.",
    "Acute bronchitis.", "Usually viral; return if fever or breathlessness.",
    RX_BENZONATATE_100, RX_NONE, RX_NONE },
  { DX_J111, DX_R509, 2, 99, RF_FEVER | RF_WINTER, 8, "Fever and body aches",
    "Sudden fever, chills, aches and cough.",
    "Febrile, lungs clear. Rapid influenza test positive.",
    "Influenza.", "Rest and fluids; isolation advised.",
    RX_OSELTAMIVIR_75, RX_NONE, RX_NONE },
  { DX_A084, DX_R1110, 0, 99, 0, 8, "Vomiting and diarrhea",
    "Vomiting and watery diarrhea since yesterday; household contacts ill.",
    "Mildly dry mucous membranes, abdomen soft, bowel sounds active.",
    "Viral gastroenteritis.", "Oral rehydration.",
    RX_ONDANSETRON_4, RX_NONE, RX_NONE },
  { DX_S93401A, NO_DX, 8, 80, 0, 5, "Ankle injury",
    "Twisted the right ankle; can bear weight with pain.",
    "Swelling and tenderness over the lateral ligaments; Ottawa rules negative.",
    "Right ankle sprain.", "Rest, ice, compression, elevation. Brace.",
    RX_IBUPROFEN_600, RX_NAPROXEN_500, RX_NONE },
  { DX_L03115, DX_R509, 15, 99, RF_FEVER, 4, "Red swollen leg",
    "Red, warm, painful area on the right shin for two days.",
    "Erythema 8 cm across on the right shin, warm and tender; border marked.",
    "Cellulitis of the right lower leg.", "Elevate the leg; return if spreading.",
    RX_CEPHALEXIN_500, RX_DOXYCYCLINE_100, RX_NONE },
  { DX_H109, NO_DX, 0, 99, 0, 5, "Red eye",
    "Red, itchy, watery eyes.",
    "Conjunctival injection, no discharge; visual acuity normal.",
    "Conjunctivitis.", "Cool compresses; hand hygiene.",
    RX_OLOPATADINE, RX_NONE, RX_NONE },
  { DX_K5900, NO_DX, 2, 99, 0, 4, "Constipation",
    "Hard stools every three to four days.",
    "Abdomen soft, non-tender.",
    "Constipation.", "Fiber and fluids.",
    RX_PEG3350, RX_NONE, RX_NONE },
  { DX_J189, DX_R509, 18, 99, RF_FEVER | RF_LOW_SPO2 | RF_WINTER, 3, "Fever and cough",
    "Fever, productive cough and pain on breathing in.",
    "Crackles at the right base. Chest X-ray: right lower lobe infiltrate.",
    "Community-acquired pneumonia.", "Recheck in 48 hours; return if breathless.",
    RX_AMOX_CLAV_875, RX_DOXYCYCLINE_100, RX_AZITHROMYCIN_250 },
  { DX_M25561, NO_DX, 20, 99, 0, 4, "Knee pain",
    "Right knee pain after a long walk.",
    "No effusion, ligaments stable, medial joint line tender.",
    "Right knee pain.", "Activity modification; physiotherapy if persists.",
    RX_IBUPROFEN_600, RX_NAPROXEN_500, RX_NONE },
  { DX_M542, NO_DX, 18, 99, 0, 4, "Neck pain",
    "Stiff painful neck since waking.",
    "Reduced rotation, trapezius spasm, neurological exam normal.",
    "Cervicalgia.", "Heat and gentle stretching.",
    RX_NAPROXEN_500, RX_IBUPROFEN_400, RX_CYCLOBENZAPRINE_10 },
  { DX_L509, NO_DX, 1, 99, 0, 3, "Hives",
    "Itchy welts that come and go since yesterday.",
    "Urticarial wheals on the trunk and arms; no lip or tongue swelling.",
    "Acute urticaria.", "Avoid the likely trigger.",
    RX_CETIRIZINE_10, RX_LORATADINE_10, RX_NONE },
  { DX_H6121, NO_DX, 5, 99, RF_NO_RX, 3, "Blocked ear",
    "Right ear feels blocked, hearing reduced.",
    "Right ear canal occluded by wax; irrigated, drum normal after.",
    "Impacted cerumen, right ear.", "Ear irrigation done.",
    RX_NONE, RX_NONE, RX_NONE },
  { DX_R1013, NO_DX, 18, 99, 0, 3, "Stomach pain",
    "Burning upper abdominal pain, no vomiting or black stools.",
    "Epigastric tenderness, no guarding.",
    "Epigastric pain, likely gastritis.", "Avoid NSAIDs and alcohol.",
    RX_FAMOTIDINE_20, RX_OMEPRAZOLE_20, RX_NONE },
};

/* ---- people and places ------------------------------------------------ */

typedef struct
{
  guint              weight;
  const char * const *family;
  guint               n_family;
  const char * const *female;
  guint               n_female;
  const char * const *male;
  guint               n_male;
  gboolean            two_surnames;  /* Spanish style: father's and mother's */
} Culture;

static const char * const english_family[] = {
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
  "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White",
  "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
  "Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter",
  "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards",
  "Collins", "Stewart", "Morris", "Rogers", "Reed", "Cook", "Morgan", "Bell",
  "Cooper", "Richardson", "Cox", "Ward", "Peterson", "Gray", "Hughes", "Price",
};
static const char * const english_female[] = {
  "Emily", "Sarah", "Jessica", "Ashley", "Jennifer", "Elizabeth", "Megan", "Rachel",
  "Laura", "Olivia", "Emma", "Ava", "Madison", "Abigail", "Hannah", "Grace",
  "Margaret", "Dorothy", "Linda", "Susan", "Karen", "Nancy", "Betty", "Helen",
  "Zoë", "Chloe", "Natalie", "Victoria", "Amber", "Kimberly",
};
static const char * const english_male[] = {
  "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph",
  "Thomas", "Charles", "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Steven",
  "Andrew", "Joshua", "Kevin", "Brian", "George", "Edward", "Ryan", "Jacob",
  "Ethan", "Noah", "Logan", "Tyler", "Samuel", "Benjamin",
};
static const char * const irish_family[] = {
  "O'Brien", "O'Connor", "O'Neill", "O'Sullivan", "O'Reilly", "O'Donnell", "McCarthy",
  "Murphy", "Kelly", "Walsh", "Byrne", "Ryan", "Doyle", "Fitzgerald", "D'Arcy",
  "Ó Súilleabháin", "MacNamara", "Gallagher",
};
static const char * const irish_female[] = {
  "Siobhán", "Aoife", "Niamh", "Saoirse", "Róisín", "Orla", "Caoimhe", "Máire",
  "Ciara", "Sinéad",
};
static const char * const irish_male[] = {
  "Seán", "Pádraig", "Liam", "Eoin", "Ciarán", "Conor", "Declan", "Dónal",
  "Cathal", "Niall",
};
static const char * const german_family[] = {
  "Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Schäfer", "Köhler", "Groß",
  "Böhm", "Jäger", "Krüger", "Hoffmann", "Günther", "Fröhlich", "Wagner", "Becker",
  "Schröder", "Möller", "Lehmann", "Müller-Lüdenscheidt",
};
static const char * const german_female[] = {
  "Jutta", "Käthe", "Ursula", "Lena", "Sophie", "Hannah", "Renate", "Annelie",
  "Brigitte", "Gisela", "Maren", "Anke",
};
static const char * const german_male[] = {
  "Jürgen", "Lukas", "Matthias", "Jörg", "Klaus", "Günter", "Björn", "Uwe",
  "Dieter", "Stefan", "Florian", "Tobias",
};
static const char * const spanish_family[] = {
  "García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez",
  "Sánchez", "Ramírez", "Ñúñez", "Muñoz", "Ibáñez", "Peña", "Gutiérrez", "Jiménez",
  "Vásquez", "Castañeda", "Fernández", "Díaz", "de la Cruz", "Álvarez", "Ortiz",
};
static const char * const spanish_female[] = {
  "María José", "Lucía", "Sofía", "Inés", "Ana Belén", "Mónica", "Begoña",
  "Guadalupe", "Ximena", "Valentina", "Camila", "Rocío", "Itziar", "María",
};
static const char * const spanish_male[] = {
  "José", "Jesús", "Andrés", "Raúl", "Íñigo", "Martín", "Joaquín", "Sebastián",
  "Tomás", "Alejandro", "Héctor", "Julián", "Óscar", "José Luis",
};
static const char * const french_family[] = {
  "Lefèvre", "Dubois", "Lévesque", "Gagné", "Bélanger", "Côté", "Thériault",
  "Girard", "Bouchard", "Morin", "Fortin", "Pelletier", "Leclerc", "Beaulieu",
};
static const char * const french_female[] = {
  "Zoë", "Chloé", "Hélène", "Éloïse", "Léa", "Amélie", "Anaïs", "Noémie",
  "Geneviève", "Maëlle",
};
static const char * const french_male[] = {
  "François", "Jérôme", "Étienne", "Noël", "Benoît", "Loïc", "Gaël", "Stéphane",
  "Thierry", "Rémi",
};
static const char * const vietnamese_family[] = {
  "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ",
};
static const char * const vietnamese_female[] = {
  "Thị Lan", "Thu Hà", "Ngọc Ánh", "Mai", "Thảo", "Hương", "Linh", "Phương",
};
static const char * const vietnamese_male[] = {
  "Văn Minh", "Đức Anh", "Quang Huy", "Tuấn", "Khoa", "Bảo", "Hùng", "Dũng",
};
static const char * const nordic_family[] = {
  "Jørgensen", "Østergaard", "Åberg", "Lindqvist", "Björk", "Sørensen", "Håkansson",
  "Ødegård", "Lindström", "Nyström",
};
static const char * const nordic_female[] = {
  "Åsa", "Ingrid", "Sigríður", "Linnéa", "Solveig", "Astrid", "Märta", "Sunniva",
};
static const char * const nordic_male[] = {
  "Søren", "Björn", "Håkan", "Øystein", "Lars", "Jónas", "Mikael", "Åke",
};
static const char * const turkish_family[] = {
  "Yılmaz", "Öztürk", "Çelik", "Şahin", "Doğan", "Aydın", "Güneş", "Kılıç",
};
static const char * const turkish_female[] = {
  "Ayşe", "Elif", "Zeynep", "Gülşen", "Özlem", "Şule",
};
static const char * const turkish_male[] = {
  "Mehmet", "Emre", "Çağlar", "Oğuz", "Barış", "İbrahim",
};
static const char * const arabic_family[] = {
  "Haddad", "Khoury", "Nasser", "El-Amin", "Al-Masri", "Saleh", "Mansour", "Aziz",
};
static const char * const arabic_female[] = {
  "Layla", "Nour", "Yasmin", "Fatima", "Rania", "Hala",
};
static const char * const arabic_male[] = {
  "Omar", "Karim", "Youssef", "Tariq", "Samir", "Khalil",
};
static const char * const chinese_family[] = {
  "Wang", "Li", "Zhang", "Chen", "Liu", "Huang", "Lü", "Zhou", "Wu", "Xu",
};
static const char * const chinese_female[] = {
  "Mei", "Xiaoling", "Yan", "Jing", "Hui", "Lan",
};
static const char * const chinese_male[] = {
  "Wei", "Jun", "Hao", "Ming", "Lei", "Jian",
};
static const char * const indian_family[] = {
  "Patel", "Sharma", "Iyer", "Reddy", "Gupta", "Chatterjee", "Singh", "Nair",
};
static const char * const indian_female[] = {
  "Priya", "Ananya", "Lakshmi", "Deepa", "Kavya", "Sunita",
};
static const char * const indian_male[] = {
  "Arjun", "Rahul", "Vikram", "Sanjay", "Rohan", "Anil",
};
static const char * const african_family[] = {
  "Okafor", "Adeyemi", "Mensah", "Okonkwo", "Nwosu", "Boateng", "Diallo", "Kamau",
};
static const char * const african_female[] = {
  "Chiamaka", "Adaeze", "Ama", "Ngozi", "Wanjiru", "Fatoumata",
};
static const char * const african_male[] = {
  "Chinedu", "Kwame", "Tunde", "Emeka", "Kofi", "Mamadou",
};
static const char * const dutch_family[] = {
  "van der Berg", "de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "de Jong",
};
static const char * const dutch_female[] = {
  "Femke", "Anouk", "Saskia", "Lotte", "Marieke",
};
static const char * const dutch_male[] = {
  "Joost", "Sjoerd", "Maarten", "Pieter", "Bram",
};

#define CULTURE(w, name, two) \
  { w, name##_family, G_N_ELEMENTS (name##_family), name##_female, G_N_ELEMENTS (name##_female), \
    name##_male, G_N_ELEMENTS (name##_male), two }

static const Culture cultures[] = {
  CULTURE (40, english, FALSE),
  CULTURE (8, irish, FALSE),
  CULTURE (7, german, FALSE),
  CULTURE (14, spanish, TRUE),
  CULTURE (4, french, FALSE),
  CULTURE (5, vietnamese, FALSE),
  CULTURE (3, nordic, FALSE),
  CULTURE (2, turkish, FALSE),
  CULTURE (3, arabic, FALSE),
  CULTURE (5, chinese, FALSE),
  CULTURE (4, indian, FALSE),
  CULTURE (3, african, FALSE),
  CULTURE (2, dutch, FALSE),
};

static const char * const streets[] = {
  "Maple Street", "Oak Avenue", "Elm Street", "Cedar Lane", "Alder Street",
  "Hawthorne Boulevard", "Division Street", "Burnside Street", "Sandy Boulevard",
  "Fremont Street", "Killingsworth Street", "Belmont Street", "Hillcrest Drive",
  "Mill Road", "Church Street", "Riverside Drive", "Park Avenue", "Lincoln Street",
  "Washington Street", "Sunset Highway", "Willamette Drive", "Foster Road",
};

typedef struct
{
  const char *city;
  const char *state;
  guint       zip;
  guint       area_code;
} Town;

static const Town towns[] = {
  { "Portland", "OR", 97202, 503 }, { "Portland", "OR", 97214, 503 },
  { "Portland", "OR", 97217, 971 }, { "Beaverton", "OR", 97005, 503 },
  { "Gresham", "OR", 97030, 503 }, { "Lake Oswego", "OR", 97034, 503 },
  { "Tigard", "OR", 97223, 971 }, { "Milwaukie", "OR", 97222, 503 },
  { "Hillsboro", "OR", 97124, 971 }, { "Vancouver", "WA", 98661, 360 },
};

static const char * const payers[] = {
  "Aetna", "Blue Cross Blue Shield", "Cigna", "UnitedHealthcare", "Kaiser Permanente",
  "Providence Health Plan", "Moda Health", "Regence BlueCross BlueShield",
  "Oregon Health Plan (Medicaid)",
};

typedef struct
{
  const char *name;   /* as on the note */
  const char *user;   /* the account that writes and signs */
} Clinician;

static const Clinician clinicians[] = {
  { "Dr. Amara Okafor", "aokafor" },
  { "Dr. Jürgen Weiß", "jweiss" },
  { "Dr. María José Fernández", "mfernandez" },
  { "Dr. Nguyễn Thị Lan", "lnguyen" },
  { "Dr. Seán O'Donnell", "sodonnell" },
  { "Dr. Priya Raman", "praman" },
  { "Dr. David Goldberg", "dgoldberg" },
  { "Hélène Côté, NP", "hcote" },
  { "Marcus Johnson, PA-C", "mjohnson" },
};

static const char * const mail_domains[] = { "@example.com", "@example.org", "@example.net" };

static const char * const front_desk[] = { "frontdesk", "reception" };

/* ---- the generator ---------------------------------------------------- */

typedef enum
{
  KIND_CHRONIC,
  KIND_RECURRING,
  KIND_ACUTE,
  KIND_PHYSICAL,
  KIND_IMMUNIZATION,
} Kind;

typedef enum
{
  TYPE_OFFICE,
  TYPE_PHONE,
  TYPE_FOLLOW_UP,
  TYPE_OTHER,
} VisitType;

static const char * const type_names[] = { "office", "phone", "follow-up", "other" };

typedef struct
{
  guint32 day;       /* Julian day (GDate) */
  guint16 minute;    /* local clock time, minutes after midnight */
  guint8  kind;
  guint8  reason;    /* index in recurring[] or acute[] */
  guint8  minor;     /* a short check between scheduled reviews */
  guint8  type;
  guint8  clinician;
} Plan;

typedef enum
{
  RESULT_RESOLVED,
  RESULT_IMPROVED,
  RESULT_UNCHANGED,
  RESULT_WORSENED,
  RESULT_ADVERSE,
} Result;

static const char * const result_names[] = {
  "resolved", "improved", "unchanged", "worsened", "adverse-effect",
};

typedef struct
{
  gint64      diagnosis_id;
  gint64      prescription_id;
  Result      result;
  const char *note;
} Pending;

typedef struct
{
  guint    n;
  guint8   which[MAX_CHRONIC];
  guint32  onset[MAX_CHRONIC];
  guint8   drug[MAX_CHRONIC];       /* current first-line drug */
  gboolean started[MAX_CHRONIC];
  gboolean add_on[MAX_CHRONIC];
} ChronicState;

typedef struct
{
  guint        index;          /* 0-based; id = index + 1 */
  char         family[128];
  char         given[96];
  const char  *sex;
  guint32      birth;
  guint32      registered;
  guint32      first_day;      /* first visit possible */
  guint32      last_day;       /* last visit possible (moved away: earlier) */
  guint        allergies;
  guint        smoking;        /* 0 never, 1 former, 2 current */
  ChronicState chronic;
  double       height_cm;      /* adult height */
  double       bmi;
  int          systolic;
  int          diastolic;
  int          pulse;
  guint        clinician;
  GArray      *plans;
} Patient;

typedef struct
{
  sqlite3_stmt *patient;
  sqlite3_stmt *search;
  sqlite3_stmt *visit;
  sqlite3_stmt *diagnosis;
  sqlite3_stmt *problem;
  sqlite3_stmt *allergy;
  sqlite3_stmt *prescription;
  sqlite3_stmt *renewed;
  sqlite3_stmt *outcome;
  sqlite3_stmt *follow_up;
} Statements;

typedef struct
{
  CrStore    *store;
  sqlite3    *db;
  GRand      *rand;
  GTimeZone  *tz;
  guint32     today;           /* Julian day, local */
  guint32     unix_epoch;      /* Julian day of 1970-01-01 */
  guint32     latest;          /* last day a visit may fall on */
  guint       n_patients;
  Statements  st;
  GString    *subjective;
  GString    *objective;
  GString    *assessment;
  GString    *plan;
  GArray     *pending;         /* Pending, for the next visit */
  gint64      open_rx[N_DRUGS]; /* this patient's running long-term prescription per drug */
} Gen;

/* ---- small helpers ---------------------------------------------------- */

static inline guint
rnd (GRand *r,
     guint  n)
{
  g_assert (n <= G_MAXINT32);
  return n > 1 ? (guint) g_rand_int_range (r, 0, (gint32) n) : 0;
}

static inline gboolean
chance (GRand  *r,
        double  p)
{
  return g_rand_double (r) < p;
}

static inline double
uniform (GRand  *r,
         double  lo,
         double  hi)
{
  return g_rand_double_range (r, lo, hi);
}

/* Roughly normal: the sum of three uniforms. */
static double
normalish (GRand  *r,
           double  mean,
           double  sd)
{
  double s = g_rand_double (r) + g_rand_double (r) + g_rand_double (r) - 1.5;
  return mean + s * 2.0 * sd;
}

static guint
poisson (GRand  *r,
         double  lambda)
{
  double l = exp (-lambda);
  double p = 1.0;
  guint k = 0;

  do
    {
      k++;
      p *= g_rand_double (r);
    }
  while (p > l && k < 100);
  return k - 1;
}

#define PICK(r, array) ((array)[rnd ((r), G_N_ELEMENTS (array))])

static guint
weekday (guint32 day)
{
  /* Julian day 1 (1 January of year 1) is a Monday: 1 = Monday … 7 = Sunday. */
  return (day - 1) % 7 + 1;
}

/* Clinics are closed at weekends: move to the nearest weekday, never from
 * before the latest allowed day to after it. Uses no random draw. */
static guint32
workday (Gen     *gen,
         guint32  day)
{
  guint wd;

  wd = weekday (day);
  if (wd == 6)
    day -= 1;
  else if (wd == 7)
    day = day + 1 <= gen->latest ? day + 1 : day - 2;
  return day;
}

static void
format_date (guint32  day,
             char    *out,
             gsize    size)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, day);
  g_snprintf (out, size, "%04u-%02u-%02u",
              g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date));
}

static guint
month_of (guint32 day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, day);
  return g_date_get_month (&date);
}

/* A local clock time on @day, written in UTC like _cr_store_now(). */
static void
format_stamp (Gen     *gen,
              guint32  day,
              guint    minute,
              char    *out,
              gsize    size)
{
  gint64 t = ((gint64) day - gen->unix_epoch) * 86400 + (gint64) minute * 60;
  gint interval = g_time_zone_adjust_time (gen->tz, G_TIME_TYPE_STANDARD, &t);
  gint64 utc = t - g_time_zone_get_offset (gen->tz, interval);
  gint64 days = utc >= 0 ? utc / 86400 : (utc - 86399) / 86400;
  gint64 secs = utc - days * 86400;
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) (days + gen->unix_epoch));
  g_snprintf (out, size, "%04u-%02u-%02uT%02d:%02d:%02dZ",
              g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date),
              (int) (secs / 3600), (int) (secs / 60 % 60), (int) (secs % 60));
}

static void
bind_static (sqlite3_stmt *stmt,
             int           idx,
             const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_text (stmt, idx, text, -1, SQLITE_STATIC);
}

static void
bind_id (sqlite3_stmt *stmt,
         int           idx,
         gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, idx, id);
  else
    sqlite3_bind_null (stmt, idx);
}

static gboolean
run_insert (Gen           *gen,
            sqlite3_stmt  *stmt,
            gint64        *id,
            GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _cr_store_set_error (gen->store, rc, error);
  if (id != NULL)
    *id = sqlite3_last_insert_rowid (gen->db);
  return TRUE;
}

static double
round1 (double value)
{
  return floor (value * 10.0 + 0.5) / 10.0;
}

/* Lower-case ASCII letters only, for e-mail addresses. */
static void
append_ascii_word (GString    *out,
                   const char *text,
                   gboolean    first_word_only)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");

  for (const char *p = ascii; *p; p++)
    {
      if (*p == ' ' && first_word_only)
        break;
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
    }
}

/* ---- patients --------------------------------------------------------- */

static const Culture *
pick_culture (GRand *r)
{
  guint total = 0;
  guint n;

  for (guint i = 0; i < G_N_ELEMENTS (cultures); i++)
    total += cultures[i].weight;
  n = rnd (r, total);
  for (guint i = 0; i < G_N_ELEMENTS (cultures); i++)
    {
      if (n < cultures[i].weight)
        return &cultures[i];
      n -= cultures[i].weight;
    }
  return &cultures[0];
}

static double
chronic_probability (const Chronic *c,
                     guint          age,
                     gboolean       female)
{
  double p;

  if (age < c->min_age)
    return 0.0;
  if (c->dx == DX_J45909)
    p = c->prevalence;
  else
    p = c->prevalence * CLAMP ((double) (age - c->min_age) / MAX (60 - (int) c->min_age, 1),
                               0.08, 1.0);
  return female ? p * c->female_factor : p;
}

static void
add_chronic (Gen     *gen,
             Patient *p,
             guint    which,
             guint32  latest_onset)
{
  ChronicState *cs = &p->chronic;
  guint32 lo;

  if (cs->n >= MAX_CHRONIC)
    return;
  /* Onset up to 15 years back, never before the minimum age. */
  lo = MAX (p->birth + chronic[which].min_age * 365, gen->today - 15 * 365);
  cs->which[cs->n] = which;
  cs->onset[cs->n] = lo + rnd (gen->rand, MAX (latest_onset, lo + 1) - lo);
  cs->drug[cs->n] = chronic[which].drug;
  if (drugs[cs->drug[cs->n]].forbidden & p->allergies)
    cs->drug[cs->n] = chronic[which].alternative;
  cs->started[cs->n] = FALSE;
  cs->add_on[cs->n] = FALSE;
  cs->n++;
}

static void
make_patient (Gen     *gen,
              guint    index,
              Patient *p)
{
  GRand *r = gen->rand;
  const Culture *culture = pick_culture (r);
  const Culture *given_culture = chance (r, 0.8) ? culture : pick_culture (r);
  gboolean female;
  guint age, band;
  const char *given;

  p->index = index;
  p->allergies = 0;
  p->chronic.n = 0;

  band = rnd (r, 100);
  if (band < 20)
    age = rnd (r, 18);
  else if (band < 47)
    age = 18 + rnd (r, 22);
  else if (band < 80)
    age = 40 + rnd (r, 25);
  else
    age = 65 + rnd (r, 31);
  band = rnd (r, 1000);
  p->sex = band < 510 ? "female" : band < 995 ? "male" : "other";
  female = band < 510 || (band >= 995 && chance (r, 0.5));

  if (index == 0)
    {
      /* The long-history patient. */
      age = 72;
      p->sex = "male";
      female = FALSE;
    }
  /* The youngest are a few weeks old. */
  p->birth = gen->today - age * 365 - age / 4 - 20 - rnd (r, 345);

  /* Names. */
  g_strlcpy (p->family, culture->family[rnd (r, culture->n_family)], sizeof p->family);
  if (culture->two_surnames && chance (r, 0.35))
    {
      const char *second = culture->family[rnd (r, culture->n_family)];
      if (!g_str_equal (second, p->family))
        {
          g_strlcat (p->family, " ", sizeof p->family);
          g_strlcat (p->family, second, sizeof p->family);
        }
    }
  given = female ? given_culture->female[rnd (r, given_culture->n_female)]
                 : given_culture->male[rnd (r, given_culture->n_male)];
  g_strlcpy (p->given, given, sizeof p->given);
  if (chance (r, 0.08))
    {
      const char *middle = female ? given_culture->female[rnd (r, given_culture->n_female)]
                                  : given_culture->male[rnd (r, given_culture->n_male)];
      if (strchr (given, ' ') == NULL && !g_str_equal (middle, given))
        {
          g_strlcat (p->given, " ", sizeof p->given);
          g_strlcat (p->given, middle, sizeof p->given);
        }
    }

  /* Body: adult size and baseline vitals. */
  p->height_cm = female ? normalish (r, 163, 7) : normalish (r, 177, 7);
  p->bmi = normalish (r, 26.5, 3.5);
  p->systolic = (int) normalish (r, 116 + (age > 40 ? (age - 40) * 0.35 : 0), 8);
  p->diastolic = (int) (p->systolic * 0.62 + normalish (r, 2, 4));
  p->pulse = (int) normalish (r, 72, 8);
  p->clinician = rnd (r, G_N_ELEMENTS (clinicians));
  band = rnd (r, 100);
  p->smoking = age < 16 ? 0 : band < 12 ? 2 : band < 32 ? 1 : 0;

  /* When they joined the practice: many were patients before the window. */
  if (chance (r, 0.55))
    p->registered = gen->today - HISTORY_DAYS - rnd (r, 12 * 365);
  else
    p->registered = gen->today - 30 - rnd (r, HISTORY_DAYS - 30);
  if (index == 0)
    p->registered = gen->today - HISTORY_DAYS - 5 * 365;
  p->registered = MAX (p->registered, p->birth + 3);
  p->first_day = MAX (p->registered, gen->today - HISTORY_DAYS);
  p->last_day = gen->latest;
  /* Some moved away or stopped coming: their recalls are overdue. */
  if (index != 0 && chance (r, 0.12))
    p->last_day = p->first_day + rnd (r, MAX (gen->latest - p->first_day, 2));

  /* Allergies. */
  if (chance (r, 0.2))
    {
      guint n = chance (r, 0.2) ? 2 : 1;
      for (guint k = 0; k < n; k++)
        {
          guint total = 0, pick;
          for (guint i = 0; i < G_N_ELEMENTS (allergies); i++)
            total += allergies[i].weight;
          pick = rnd (r, total);
          for (guint i = 0; i < G_N_ELEMENTS (allergies); i++)
            {
              if (pick < allergies[i].weight)
                {
                  p->allergies |= allergies[i].flag;
                  break;
                }
              pick -= allergies[i].weight;
            }
        }
    }

  /* Chronic conditions. */
  if (index == 0)
    {
      static const guint8 long_history[] = {
        CH_DIABETES, CH_HYPERTENSION, CH_HYPERLIPIDEMIA, CH_AF, CH_CKD, CH_KNEE_OA,
      };
      for (guint i = 0; i < G_N_ELEMENTS (long_history); i++)
        add_chronic (gen, p, long_history[i], gen->today - HISTORY_DAYS);
    }
  else
    {
      for (guint c = 0; c < N_CHRONIC; c++)
        if (chance (r, chronic_probability (&chronic[c], age, female)))
          add_chronic (gen, p, c, gen->today - 60);
    }

  for (guint i = 0; i < p->chronic.n; i++)
    if (p->chronic.which[i] == CH_OBESITY)
      p->bmi = uniform (r, 30.5, 39.0);
  for (guint i = 0; i < p->chronic.n; i++)
    if (p->chronic.which[i] == CH_HYPERTENSION)
      {
        p->systolic = (int) uniform (r, 138, 162);
        p->diastolic = (int) uniform (r, 86, 98);
      }
}

static void
add_plan (Gen     *gen,
          Patient *p,
          guint32  day,
          Kind     kind,
          guint    reason,
          gboolean minor)
{
  GRand *r = gen->rand;
  Plan plan = { 0, };
  guint draw = rnd (r, 100);

  plan.day = workday (gen, day);
  /* 08:00 to 17:40 in 20-minute slots. */
  plan.minute = 8 * 60 + 20 * rnd (r, 30);
  plan.kind = kind;
  plan.reason = reason;
  plan.minor = minor;
  plan.clinician = chance (r, 0.75) ? p->clinician : rnd (r, G_N_ELEMENTS (clinicians));

  switch (kind)
    {
    case KIND_CHRONIC:
      plan.type = minor ? (draw < 60 ? TYPE_PHONE : TYPE_FOLLOW_UP)
                        : (draw < 15 ? TYPE_PHONE : TYPE_FOLLOW_UP);
      break;
    case KIND_RECURRING:
    case KIND_ACUTE:
      plan.type = draw < 8 ? TYPE_PHONE : TYPE_OFFICE;
      break;
    case KIND_PHYSICAL:
      plan.type = TYPE_OFFICE;
      break;
    case KIND_IMMUNIZATION:
    default:
      plan.type = TYPE_OTHER;
      break;
    }

  if (plan.day < p->first_day || plan.day > p->last_day)
    return;
  g_array_append_val (p->plans, plan);
}

static guint
age_on (Patient *p,
        guint32  day)
{
  return day > p->birth ? (day - p->birth) * 100 / 36525 : 0;
}

static int
compare_plans (gconstpointer a,
               gconstpointer b)
{
  const Plan *pa = a, *pb = b;

  if (pa->day != pb->day)
    return pa->day < pb->day ? -1 : 1;
  if (pa->minute != pb->minute)
    return pa->minute < pb->minute ? -1 : 1;
  return (int) pa->kind - (int) pb->kind;
}

static gboolean
reason_fits (const Reason *reason,
             guint         age,
             gboolean      female,
             GRand        *r)
{
  if (age < reason->min_age || age > reason->max_age)
    return FALSE;
  if ((reason->flags & RF_FEMALE) && !female && !chance (r, 0.15))
    return FALSE;
  return TRUE;
}

static guint
pick_reason (GRand        *r,
             const Reason *reasons,
             guint         n_reasons,
             guint         age,
             gboolean      female)
{
  guint total = 0, pick;

  for (guint i = 0; i < n_reasons; i++)
    total += reasons[i].weight;
  for (guint attempt = 0; attempt < 8; attempt++)
    {
      pick = rnd (r, total);
      for (guint i = 0; i < n_reasons; i++)
        {
          if (pick < reasons[i].weight)
            {
              if (reason_fits (&reasons[i], age, female, r))
                return i;
              break;
            }
          pick -= reasons[i].weight;
        }
    }
  return 0; /* headache / cold: fit everyone */
}

static guint32
seasonal_day (Gen     *gen,
              guint32  day,
              guint8   flags)
{
  guint month = month_of (day);

  /* Spring complaints fall in April–May, winter ones in December–February. */
  if ((flags & RF_SPRING) && (month < 4 || month > 5))
    return day - ((month + 12 - 4) % 12) * 30;
  if ((flags & RF_WINTER) && month > 2 && month < 12)
    return day + (12 - month) * 30 <= gen->latest ? day + (12 - month) * 30 : day - (month - 1) * 30;
  return day;
}

static void
plan_visits (Gen     *gen,
             Patient *p)
{
  GRand *r = gen->rand;
  gboolean female = g_str_equal (p->sex, "female");
  guint32 span = p->last_day >= p->first_day ? p->last_day - p->first_day + 1 : 1;
  double years = span / 365.0;
  guint age_now = age_on (p, gen->today);
  guint n_recurring;

  g_array_set_size (p->plans, 0);

  /* Chronic reviews: one cadence for all conditions (the shortest). */
  if (p->chronic.n > 0)
    {
      guint months = 12;
      guint32 start = G_MAXUINT32;

      for (guint i = 0; i < p->chronic.n; i++)
        {
          months = MIN (months, chronic[p->chronic.which[i]].interval_months);
          start = MIN (start, p->chronic.onset[i]);
        }
      /* Reviews are often later than planned. */
      start = MAX (start + 7, p->first_day);
      for (double day = start; day <= p->last_day; day += months * 30.4 * uniform (r, 1.0, 1.6))
        add_plan (gen, p, (guint32) day, KIND_CHRONIC, 0, FALSE);
    }

  /* Complaints that come back. */
  n_recurring = rnd (r, 100);
  n_recurring = n_recurring < 50 ? 0 : n_recurring < 83 ? 1 : n_recurring < 96 ? 2 : 3;
  if (p->index == 0)
    n_recurring = 3;
  for (guint k = 0; k < n_recurring; k++)
    {
      guint which = pick_reason (r, recurring, G_N_ELEMENTS (recurring),
                                 age_on (p, p->first_day + span / 2), female);
      guint episodes = 2 + poisson (r, MIN (years, 8.0) * 0.45);

      if (p->index == 0)
        episodes = 8 + rnd (r, 6);
      for (guint e = 0; e < episodes; e++)
        {
          guint32 day = p->first_day + rnd (r, span);
          day = seasonal_day (gen, day, recurring[which].flags);
          if (age_on (p, day) >= recurring[which].min_age)
            add_plan (gen, p, day, KIND_RECURRING, which, FALSE);
        }
    }

  /* Acute one-offs. */
  for (guint k = poisson (r, years * 0.33 + 0.3); k > 0; k--)
    {
      guint32 day = p->first_day + rnd (r, span);
      guint which = pick_reason (r, acute, G_N_ELEMENTS (acute), age_on (p, day), female);
      add_plan (gen, p, seasonal_day (gen, day, acute[which].flags), KIND_ACUTE, which, FALSE);
    }

  /* Physicals and flu shots. */
  if (chance (r, age_now < 18 ? 0.35 : 0.15))
    for (guint32 day = p->first_day + rnd (r, 365); day <= p->last_day;
         day += 365 + rnd (r, age_now < 18 ? 60 : 200))
      add_plan (gen, p, day, KIND_PHYSICAL, 0, FALSE);
  if (age_now >= 65 || p->chronic.n >= 2)
    {
      double p_shot = chance (r, 0.4) ? 0.6 : 0.1;
      for (guint32 day = p->first_day; day <= p->last_day; day += 365)
        {
          guint month = month_of (day);
          guint32 shot = day + ((10 + 12 - month) % 12) * 30 + rnd (r, 45);
          if (chance (r, p_shot))
            add_plan (gen, p, shot, KIND_IMMUNIZATION, 0, FALSE);
        }
    }

  /* The long-history patient: exactly CR_DEMO_LONG_HISTORY_VISITS visits,
   * filled with short checks (phone calls about results, BP checks). */
  if (p->index == 0)
    {
      while (p->plans->len < CR_DEMO_LONG_HISTORY_VISITS)
        add_plan (gen, p, p->first_day + rnd (r, span), KIND_CHRONIC, 0, TRUE);
      g_array_sort (p->plans, compare_plans);
      if (p->plans->len > CR_DEMO_LONG_HISTORY_VISITS)
        g_array_remove_range (p->plans, 0, p->plans->len - CR_DEMO_LONG_HISTORY_VISITS);
      /* His latest visit is yesterday's (or the last weekday's) note. */
      g_array_index (p->plans, Plan, p->plans->len - 1).day = gen->latest;
    }

  /* Everyone registered has been seen at least once. */
  if (p->plans->len == 0)
    {
      guint32 day = p->first_day + rnd (r, span);
      add_plan (gen, p, day, KIND_ACUTE,
                pick_reason (r, acute, G_N_ELEMENTS (acute), age_on (p, day), female), FALSE);
      if (p->plans->len == 0)
        {
          /* A short window that a weekend pushed every date out of. */
          day = workday (gen, p->last_day);
          p->first_day = MIN (p->first_day, day);
          p->last_day = MAX (p->last_day, day);
          add_plan (gen, p, day, KIND_ACUTE, 0, FALSE);
        }
    }

  g_array_sort (p->plans, compare_plans);

  /* Two visits never share a time slot: an outcome is recorded strictly
   * after what it judges. */
  for (guint i = 1; i < p->plans->len; i++)
    {
      Plan *prev = &g_array_index (p->plans, Plan, i - 1);
      Plan *plan = &g_array_index (p->plans, Plan, i);

      if (plan->day == prev->day && plan->minute <= prev->minute)
        plan->minute = prev->minute + 20;
    }
}

/* ---- writing ---------------------------------------------------------- */

static gboolean
prepare_statements (Gen     *gen,
                    GError **error)
{
  Statements *st = &gen->st;

#define PREPARE(field, sql) \
  if ((st->field = _cr_store_prepare (gen->store, sql, error)) == NULL) \
    return FALSE

  PREPARE (patient,
           "INSERT INTO patients (id, record_number, family_name, given_names, birth_date, sex,"
           " phone, email, address, insurance_payer, insurance_member_id, phone_digits,"
           " last_seen, created_at, created_by, updated_at, updated_by)"
           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?14, ?15)");
  PREPARE (search, "INSERT INTO patient_search (docid, names) VALUES (?, ?)");
  PREPARE (visit,
           "INSERT INTO visits (patient_id, started_at, clinician, type, chief_complaint,"
           " subjective, objective, bp_systolic, bp_diastolic, pulse, temperature_c,"
           " respiratory_rate, spo2, weight_kg, height_cm, assessment, plan, status,"
           " signed_by, signed_at, created_at, created_by, updated_at, updated_by)"
           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
           " ?17, ?18, ?19, ?20, ?2, ?21, ?22, ?21)");
  PREPARE (diagnosis,
           "INSERT INTO visit_diagnoses (visit_id, system, code, display, is_primary,"
           " created_at, created_by, updated_at, updated_by)"
           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?7)");
  PREPARE (problem,
           "INSERT INTO problems (patient_id, system, code, display, onset_date, status,"
           " chronic, created_at, created_by, updated_at, updated_by)"
           " VALUES (?1, ?2, ?3, ?4, ?5, 'active', 1, ?6, ?7, ?6, ?7)");
  PREPARE (allergy,
           "INSERT INTO allergies (patient_id, substance, reaction, severity,"
           " created_at, created_by, updated_at, updated_by)"
           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)");
  PREPARE (prescription,
           "INSERT INTO prescriptions (patient_id, visit_id, drug, strength, form, dose, route,"
           " frequency, duration, quantity, refills, instructions, start_date, stop_date,"
           " stop_reason, prescriber, created_at, created_by, updated_at, updated_by)"
           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
           " ?17, ?18, ?17, ?18)");
  PREPARE (outcome,
           "INSERT INTO outcomes (patient_id, visit_id, diagnosis_id, prescription_id, result,"
           " note, created_at, created_by, updated_at, updated_by)"
           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?8)");
  /* A long-term drug prescribed again replaces the running prescription, so
   * the medication list shows each drug once. */
  PREPARE (renewed,
           "UPDATE prescriptions SET stop_date = ?1, stop_reason = 'renewed',"
           " updated_at = ?2 WHERE id = ?3");
  PREPARE (follow_up,
           "INSERT INTO follow_ups (patient_id, visit_id, due_date, reason, done, done_at,"
           " created_at, created_by, updated_at, updated_by)"
           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?8)");
#undef PREPARE

  return TRUE;
}

static gboolean
write_patient_row (Gen      *gen,
                   Patient  *p,
                   GError  **error)
{
  GRand *r = gen->rand;
  sqlite3_stmt *stmt = gen->st.patient;
  const Town *town = &PICK (r, towns);
  g_autoptr(GString) email = g_string_new (NULL);
  char record[16], birth[16], phone[32], digits[16], address[160], member[24];
  char created[32], last_seen[32];
  guint number = rnd (r, 10000);
  guint style = rnd (r, 10);
  const char *payer = NULL;
  guint age = age_on (p, gen->today);
  const Plan *last = &g_array_index (p->plans, Plan, p->plans->len - 1);
  gboolean has_phone = chance (r, 0.97);
  gboolean has_email = chance (r, age >= 14 ? 0.8 : 0.3);
  gboolean has_address = chance (r, 0.96);
  guint insurance = rnd (r, 100);

  g_snprintf (record, sizeof record, "P%06u", p->index + 1);
  format_date (p->birth, birth, sizeof birth);

  /* 555 numbers, written the ways people write them. */
  if (style < 6)
    g_snprintf (phone, sizeof phone, "(%u) 555-%04u", town->area_code, number);
  else if (style < 9)
    g_snprintf (phone, sizeof phone, "%u-555-%04u", town->area_code, number);
  else
    g_snprintf (phone, sizeof phone, "+1 %u 555 %04u", town->area_code, number);
  g_snprintf (digits, sizeof digits, "%s%u555%04u", style == 9 ? "1" : "", town->area_code, number);

  append_ascii_word (email, p->given, TRUE);
  g_string_append_c (email, ".._"[rnd (r, 3)]);
  append_ascii_word (email, p->family, FALSE);
  if (chance (r, 0.4))
    g_string_append_printf (email, "%u", 1 + rnd (r, 99));
  g_string_append (email, PICK (r, mail_domains));

  if (chance (r, 0.2))
    g_snprintf (address, sizeof address, "%u %s, Apt %u%c, %s, %s %05u",
                10 + rnd (r, 9000), PICK (r, streets), 1 + rnd (r, 30), 'A' + rnd (r, 4),
                town->city, town->state, town->zip + rnd (r, 3));
  else
    g_snprintf (address, sizeof address, "%u %s, %s, %s %05u",
                10 + rnd (r, 9000), PICK (r, streets), town->city, town->state,
                town->zip + rnd (r, 3));

  if (age >= 65 && insurance < 85)
    {
      /* A Medicare Beneficiary Identifier: 1EG4-TE5-MK73 style. */
      static const char letters[] = "ACDEFGHJKMNPQRTUVWXY";
      static const char alnum[] = "0123456789ACDEFGHJKMNPQRTUVWXY";
      payer = "Medicare";
      g_snprintf (member, sizeof member, "%u%c%c%u-%c%c%u-%c%c%u%u",
                  1 + rnd (r, 9), letters[rnd (r, 20)], alnum[rnd (r, 30)], rnd (r, 10),
                  letters[rnd (r, 20)], alnum[rnd (r, 30)], rnd (r, 10),
                  letters[rnd (r, 20)], letters[rnd (r, 20)], rnd (r, 10), rnd (r, 10));
    }
  else if (insurance < 94)
    {
      payer = PICK (r, payers);
      g_snprintf (member, sizeof member, "%c%c%c%09u",
                  'A' + rnd (r, 26), 'A' + rnd (r, 26), 'A' + rnd (r, 26), rnd (r, 1000000000));
    }

  format_stamp (gen, MIN (p->registered, p->first_day), 8 * 60 + rnd (r, 30), created, sizeof created);
  format_stamp (gen, last->day, last->minute, last_seen, sizeof last_seen);

  sqlite3_bind_int64 (stmt, 1, p->index + 1);
  sqlite3_bind_text (stmt, 2, record, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, p->family, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, p->given, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, birth, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, p->sex, -1, SQLITE_STATIC);
  bind_static (stmt, 7, has_phone ? phone : NULL);
  bind_static (stmt, 8, has_email ? email->str : NULL);
  bind_static (stmt, 9, has_address ? address : NULL);
  bind_static (stmt, 10, payer);
  bind_static (stmt, 11, payer ? member : NULL);
  bind_static (stmt, 12, has_phone ? digits : NULL);
  sqlite3_bind_text (stmt, 13, last_seen, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, created, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 15, PICK (r, front_desk), -1, SQLITE_STATIC);
  if (!run_insert (gen, stmt, NULL, error))
    return FALSE;

  /* Type-ahead search: "family given", folded by the FTS tokenizer. */
  {
    g_autofree char *names = g_strconcat (p->family, " ", p->given, NULL);

    stmt = gen->st.search;
    sqlite3_bind_int64 (stmt, 1, p->index + 1);
    sqlite3_bind_text (stmt, 2, names, -1, SQLITE_STATIC);
    if (!run_insert (gen, stmt, NULL, error))
      return FALSE;
  }

  /* Allergies, recorded at registration. */
  for (guint i = 0; i < G_N_ELEMENTS (allergies); i++)
    {
      guint k;

      if (!(p->allergies & allergies[i].flag))
        continue;
      k = rnd (r, 3);
      stmt = gen->st.allergy;
      sqlite3_bind_int64 (stmt, 1, p->index + 1);
      bind_static (stmt, 2, allergies[i].substance);
      bind_static (stmt, 3, allergies[i].reactions[k]);
      bind_static (stmt, 4, allergies[i].severities[k]);
      sqlite3_bind_text (stmt, 5, created, -1, SQLITE_STATIC);
      bind_static (stmt, 6, clinicians[p->clinician].user);
      if (!run_insert (gen, stmt, NULL, error))
        return FALSE;
    }

  /* The problem list: chronic conditions with their onset. */
  for (guint i = 0; i < p->chronic.n; i++)
    {
      const CrDemoCode *code = &codes[chronic[p->chronic.which[i]].dx];
      char onset[16], stamp[32];
      guint32 noted = MAX (p->chronic.onset[i], MIN (p->registered, p->first_day));

      format_date (p->chronic.onset[i], onset, sizeof onset);
      format_stamp (gen, MIN (noted, gen->latest), 9 * 60 + rnd (r, 480), stamp, sizeof stamp);
      stmt = gen->st.problem;
      sqlite3_bind_int64 (stmt, 1, p->index + 1);
      bind_static (stmt, 2, code->system);
      bind_static (stmt, 3, code->code);
      bind_static (stmt, 4, code->display);
      sqlite3_bind_text (stmt, 5, onset, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, stamp, -1, SQLITE_STATIC);
      bind_static (stmt, 7, clinicians[p->clinician].user);
      if (!run_insert (gen, stmt, NULL, error))
        return FALSE;
    }

  return TRUE;
}

static Result
draw_result (GRand    *r,
             Kind      kind,
             gboolean  has_drug)
{
  guint n = rnd (r, 100);

  if (has_drug && n < 3)
    return RESULT_ADVERSE;
  if (kind == KIND_CHRONIC)
    return n < 38 ? RESULT_IMPROVED : n < 86 ? RESULT_UNCHANGED : RESULT_WORSENED;
  if (kind == KIND_RECURRING)
    return n < 55 ? RESULT_RESOLVED : n < 85 ? RESULT_IMPROVED : n < 94 ? RESULT_UNCHANGED
                                                                         : RESULT_WORSENED;
  return n < 72 ? RESULT_RESOLVED : n < 92 ? RESULT_IMPROVED : n < 97 ? RESULT_UNCHANGED
                                                                       : RESULT_WORSENED;
}

static const char *
result_note (GRand  *r,
             Kind    kind,
             Result  result)
{
  static const char * const chronic_notes[] = {
    [RESULT_IMPROVED] = "Better controlled since the last visit.",
    [RESULT_UNCHANGED] = "Stable.",
    [RESULT_WORSENED] = "Less well controlled; treatment adjusted.",
  };
  static const char * const notes[] = {
    [RESULT_RESOLVED] = "Symptoms resolved.",
    [RESULT_IMPROVED] = "Better; some symptoms remain.",
    [RESULT_UNCHANGED] = "No change.",
    [RESULT_WORSENED] = "Symptoms worse.",
  };

  if (kind == KIND_CHRONIC && result != RESULT_RESOLVED && result != RESULT_ADVERSE)
    return chronic_notes[result];
  if (result != RESULT_ADVERSE)
    return chance (r, 0.7) ? notes[result] : NULL;
  return NULL;
}

static gboolean
write_diagnosis (Gen         *gen,
                 gint64       visit_id,
                 guint        dx,
                 gboolean     primary,
                 const char  *stamp,
                 const char  *user,
                 gint64      *id,
                 GError     **error)
{
  sqlite3_stmt *stmt = gen->st.diagnosis;

  sqlite3_bind_int64 (stmt, 1, visit_id);
  bind_static (stmt, 2, codes[dx].system);
  bind_static (stmt, 3, codes[dx].code);
  bind_static (stmt, 4, codes[dx].display);
  sqlite3_bind_int (stmt, 5, primary);
  sqlite3_bind_text (stmt, 6, stamp, -1, SQLITE_STATIC);
  bind_static (stmt, 7, user);
  return run_insert (gen, stmt, id, error);
}

static gboolean
is_antibiotic (guint drug)
{
  switch (drug)
    {
    case RX_AMOXICILLIN_500:
    case RX_PENICILLIN_V_500:
    case RX_AZITHROMYCIN_250:
    case RX_AMOX_CLAV_875:
    case RX_DOXYCYCLINE_100:
    case RX_NITROFURANTOIN_100:
    case RX_SMX_TMP:
    case RX_CEPHALEXIN_500:
      return TRUE;
    default:
      return FALSE;
    }
}

typedef struct
{
  guint    drug;
  guint    dx_slot;   /* which of the visit's diagnoses it treats */
  guint    chronic;   /* index in the patient's conditions, or G_MAXUINT */
  gboolean renewal;
} RxPlan;

static gboolean
write_visit (Gen         *gen,
             Patient     *p,
             guint        index,
             GError     **error)
{
  GRand *r = gen->rand;
  const Plan *plan = &g_array_index (p->plans, Plan, index);
  const Plan *next = index + 1 < p->plans->len ? &g_array_index (p->plans, Plan, index + 1) : NULL;
  const Clinician *clinician = &clinicians[plan->clinician];
  const Reason *reason = NULL;
  guint age = age_on (p, plan->day);
  gboolean vitals = plan->type != TYPE_PHONE;
  gboolean fever = FALSE, low_spo2 = FALSE;
  guint dx[3];
  guint n_dx = 0;
  RxPlan rx[MAX_RX_PER_VISIT];
  guint n_rx = 0;
  gint64 dx_ids[3] = { 0, };
  gint64 rx_ids[MAX_RX_PER_VISIT] = { 0, };
  const char *complaint;
  char started[32], signed_at[32], date[16], stop[16];
  gint64 visit_id = 0;
  sqlite3_stmt *stmt;
  gboolean draft;
  guint primary_chronic = G_MAXUINT;
  guint active[MAX_CHRONIC];
  guint n_active = 0;
  double draft_draw;
  Result results[3 + MAX_RX_PER_VISIT];

  g_string_truncate (gen->subjective, 0);
  g_string_truncate (gen->objective, 0);
  g_string_truncate (gen->assessment, 0);
  g_string_truncate (gen->plan, 0);

  for (guint i = 0; i < p->chronic.n; i++)
    if (p->chronic.onset[i] <= plan->day)
      active[n_active++] = i;

  switch ((Kind) plan->kind)
    {
    case KIND_CHRONIC:
      if (n_active == 0)
        active[n_active++] = 0;
      primary_chronic = active[index % n_active];
      {
        const Chronic *c = &chronic[p->chronic.which[primary_chronic]];

        complaint = plan->minor ? (plan->type == TYPE_PHONE ? "Results and medication review by phone"
                                                            : "Blood pressure and weight check")
                                : c->review;
        dx[n_dx++] = (c->dx == DX_E119 && chance (r, 0.15)) ? DX_E1165 : c->dx;
        for (guint k = 1; k < n_active && n_dx < 3; k++)
          dx[n_dx++] = chronic[p->chronic.which[active[(index + k) % n_active]]].dx;
        /* Long-term drug use is coded beside the condition. */
        for (guint k = 0; k < n_active && n_dx < 3; k++)
          {
            guint slot = active[k];
            if (p->chronic.which[slot] == CH_DIABETES && p->chronic.started[slot])
              dx[n_dx++] = DX_Z7984;
            else if (p->chronic.which[slot] == CH_AF && p->chronic.add_on[slot])
              dx[n_dx++] = DX_Z7901;
          }

        g_string_append (gen->subjective, c->subjective);
        if (!plan->minor && plan->type != TYPE_PHONE)
          g_string_append_printf (gen->objective, "%s ", c->exam);
        for (guint k = 0; k < n_dx; k++)
          {
            const Chronic *ck = &chronic[p->chronic.which[active[(index + k) % n_active]]];
            g_string_append_printf (gen->assessment, "%s%s", k ? "; " : "", ck->assessment);
          }
        g_string_append (gen->assessment, index % 3 ? ", stable." : ", reviewed.");
        if (c->dx == DX_E119)
          g_string_append_printf (gen->assessment, " HbA1c %.1f%%.", uniform (r, 6.2, 8.9));
        g_string_append (gen->plan, c->plan);

        /* Medications: start, renew, switch, add. */
        for (guint k = 0; k < n_dx && n_rx < MAX_RX_PER_VISIT - 1; k++)
          {
            guint slot = active[(index + k) % n_active];
            const Chronic *ck = &chronic[p->chronic.which[slot]];
            guint drug = p->chronic.drug[slot];

            if (drug == RX_NONE || (drugs[drug].forbidden & p->allergies))
              continue;
            if (!p->chronic.started[slot] || chance (r, plan->minor ? 0.15 : 0.7))
              {
                rx[n_rx++] = (RxPlan) { drug, k, slot, p->chronic.started[slot] };
                p->chronic.started[slot] = TRUE;
              }
            if (ck->add_on != RX_NONE && !(drugs[ck->add_on].forbidden & p->allergies) &&
                (p->chronic.add_on[slot] ? chance (r, 0.3) : chance (r, 0.06)) &&
                n_rx < MAX_RX_PER_VISIT)
              {
                rx[n_rx++] = (RxPlan) { ck->add_on, k, slot, p->chronic.add_on[slot] };
                p->chronic.add_on[slot] = TRUE;
              }
          }
      }
      break;

    case KIND_RECURRING:
    case KIND_ACUTE:
      reason = plan->kind == KIND_RECURRING ? &recurring[plan->reason] : &acute[plan->reason];
      complaint = reason->complaint;
      fever = (reason->flags & RF_FEVER) && chance (r, 0.7);
      low_spo2 = (reason->flags & RF_LOW_SPO2) != 0;
      dx[n_dx++] = reason->dx;
      if (reason->extra_dx != NO_DX && chance (r, 0.8))
        dx[n_dx++] = reason->extra_dx;
      /* Known conditions are coded as comorbidities. */
      for (guint k = 0; k < n_active && n_dx < 3; k++)
        if (chance (r, 0.75))
          dx[n_dx++] = chronic[p->chronic.which[active[k]]].dx;
      else if (fever && n_dx < 2 && reason->extra_dx != DX_R509)
        dx[n_dx++] = DX_R509;

      {
        guint days = 1 + rnd (r, 10);

        g_string_append (gen->subjective, reason->subjective);
        if (days == 1)
          g_string_append (gen->subjective, " Began yesterday.");
        else
          g_string_append_printf (gen->subjective, " Began %u days ago.", days);
      }
      if (plan->kind == KIND_RECURRING && index > 0)
        g_string_append (gen->subjective, " Has had this before.");
      if (plan->type != TYPE_PHONE)
        g_string_append_printf (gen->objective, "%s ", reason->exam);
      g_string_append (gen->assessment, reason->assessment);
      g_string_append (gen->plan, reason->plan);

      if (!((reason->flags & RF_NO_RX) && chance (r, 0.6)) && chance (r, 0.95))
        {
          guint drug = reason->drug;

          if (drug == RX_NONE || (drugs[drug].forbidden & p->allergies) || chance (r, 0.2))
            drug = reason->alternative != RX_NONE ? reason->alternative : drug;
          if (drug != RX_NONE && !(drugs[drug].forbidden & p->allergies))
            rx[n_rx++] = (RxPlan) { drug, 0, G_MAXUINT, FALSE };
          if (reason->add_on != RX_NONE && chance (r, 0.5) &&
              !(drugs[reason->add_on].forbidden & p->allergies))
            rx[n_rx++] = (RxPlan) { reason->add_on, 0, G_MAXUINT, FALSE };
        }
      break;

    case KIND_PHYSICAL:
      complaint = age < 18 ? "Well-child check" : "Annual physical";
      dx[n_dx++] = age < 18 ? DX_Z00129 : DX_Z0000;
      for (guint k = 0; k < n_active && n_dx < 3; k++)
        if (chance (r, 0.8))
          dx[n_dx++] = chronic[p->chronic.which[active[k]]].dx;
      g_string_append (gen->subjective, age < 18 ? "Growing and developing well. Eating well, sleeps through the night."
                                                 : "Feels well. Exercises twice a week. Non-smoker.");
      g_string_append (gen->objective, age < 18 ? "Growth along the percentiles. Normal exam. "
                                                : "Normal exam. ");
      g_string_append (gen->assessment, "Routine health examination, no new problems.");
      g_string_append (gen->plan, age < 18 ? "Vaccines up to date. Next check in one year."
                                           : "Screening tests per age. Next physical in one year.");
      break;

    case KIND_IMMUNIZATION:
    default:
      complaint = "Flu shot";
      dx[n_dx++] = DX_Z23;
      vitals = FALSE;
      g_string_append (gen->subjective, "Here for the seasonal influenza vaccine. No fever today.");
      g_string_append (gen->objective, "Vaccine given in the left deltoid; no reaction after 15 minutes. ");
      g_string_append (gen->assessment, "Immunization.");
      g_string_append (gen->plan, "Next influenza vaccine next autumn.");
      break;
    }

  /* Tobacco use is coded whenever it is addressed. */
  if (p->smoking != 0 && age >= 18 && n_dx < 3 && plan->kind != KIND_IMMUNIZATION &&
      chance (r, 0.6))
    dx[n_dx++] = p->smoking == 2 ? DX_F17210 : DX_Z87891;

  /* Vitals, metric. */
  {
    double height = p->height_cm;
    double weight;
    int systolic = p->systolic, diastolic = p->diastolic, pulse = p->pulse;
    double temperature = uniform (r, 36.3, 37.2);
    int rr = 12 + (int) rnd (r, 7);
    int spo2 = 96 + (int) rnd (r, 4);
    guint bp_drugs = 0;

    if (age < 18)
      {
        /* A rough growth curve. */
        double adult = p->height_cm;
        double bmi = 16.0 + (p->bmi - 16.0) * age / 18.0 + normalish (r, 0, 0.4);

        height = age < 2 ? 50 + 25 * age + rnd (r, 10) : MIN (adult, 80 + 6.2 * age);
        weight = bmi * (height / 100) * (height / 100);
        systolic = 90 + age * 2 + (int) rnd (r, 10);
        diastolic = 55 + age + (int) rnd (r, 8);
        pulse = 110 - age * 2 + (int) rnd (r, 10);
        rr = age < 5 ? 22 + (int) rnd (r, 8) : rr;
      }
    else
      {
        weight = p->bmi * (height / 100) * (height / 100) + normalish (r, 0, 1.2);
        /* Treated hypertension comes down over the years. */
        for (guint i = 0; i < p->chronic.n; i++)
          if (p->chronic.which[i] == CH_HYPERTENSION && p->chronic.started[i])
            bp_drugs += p->chronic.add_on[i] ? 2 : 1;
        systolic -= bp_drugs * 9;
        diastolic -= bp_drugs * 5;
        systolic += (int) normalish (r, 0, 5);
        diastolic += (int) normalish (r, 0, 3);
      }
    if (fever)
      {
        temperature = uniform (r, 37.9, 39.4);
        pulse += 12;
        rr += 4;
      }
    if (low_spo2)
      spo2 = 91 + (int) rnd (r, 5);

    stmt = gen->st.visit;
    if (vitals)
      {
        if (age >= 3)
          g_string_append_printf (gen->objective, "BP %d/%d mmHg, ", systolic, diastolic);
        g_string_append_printf (gen->objective, "pulse %d/min, T %.1f °C, RR %d/min, SpO2 %d%%, weight %.1f kg.",
                                pulse, round1 (temperature), rr, spo2, round1 (weight));
        if (age >= 3)
          {
            sqlite3_bind_int (stmt, 8, systolic);
            sqlite3_bind_int (stmt, 9, diastolic);
          }
        else
          {
            sqlite3_bind_null (stmt, 8);
            sqlite3_bind_null (stmt, 9);
          }
        sqlite3_bind_int (stmt, 10, pulse);
        sqlite3_bind_double (stmt, 11, round1 (temperature));
        sqlite3_bind_int (stmt, 12, rr);
        sqlite3_bind_int (stmt, 13, spo2);
        sqlite3_bind_double (stmt, 14, round1 (weight));
        sqlite3_bind_double (stmt, 15, floor (height * 2 + 0.5) / 2);
      }
    else
      {
        if (plan->type == TYPE_PHONE)
          g_string_append (gen->objective, "Telephone encounter; no examination.");
        for (int col = 8; col <= 15; col++)
          sqlite3_bind_null (stmt, col);
      }
  }

  for (guint k = 0; k < n_rx; k++)
    {
      const Drug *d = &drugs[rx[k].drug];
      g_string_append_printf (gen->plan, " %s %s %s %s, %s",
                              rx[k].renewal ? "Renewed" : "Prescribed",
                              d->drug, d->strength, d->form, d->frequency);
      if (d->days)
        g_string_append_printf (gen->plan, " for %u days.", d->days);
      else
        g_string_append_c (gen->plan, '.');
    }
  if (plan->kind == KIND_CHRONIC && !plan->minor)
    g_string_append_printf (gen->plan, " Review in %u months.",
                            chronic[p->chronic.which[primary_chronic]].interval_months);

  /* Signed soon after the visit; the latest notes are still drafts. */
  format_stamp (gen, plan->day, plan->minute, started, sizeof started);
  format_stamp (gen, plan->day, MIN (plan->minute + 20 + rnd (r, 240), 23 * 60 + 50),
                signed_at, sizeof signed_at);
  draft_draw = g_rand_double (r);
  draft = (gen->today - plan->day <= 3 && draft_draw < 0.35) ||
          (gen->today - plan->day <= DRAFT_DAYS && draft_draw < 0.04) ||
          (p->index == 0 && next == NULL);

  sqlite3_bind_int64 (stmt, 1, p->index + 1);
  sqlite3_bind_text (stmt, 2, started, -1, SQLITE_STATIC);
  bind_static (stmt, 3, clinician->name);
  bind_static (stmt, 4, type_names[plan->type]);
  bind_static (stmt, 5, complaint);
  sqlite3_bind_text (stmt, 6, gen->subjective->str, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, gen->objective->str, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 16, gen->assessment->str, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 17, gen->plan->str, -1, SQLITE_STATIC);
  bind_static (stmt, 18, draft ? "draft" : "signed");
  bind_static (stmt, 19, draft ? NULL : clinician->user);
  bind_static (stmt, 20, draft ? NULL : signed_at);
  bind_static (stmt, 21, clinician->user);
  sqlite3_bind_text (stmt, 22, draft ? started : signed_at, -1, SQLITE_STATIC);
  if (!run_insert (gen, stmt, &visit_id, error))
    return FALSE;

  /* How the last visit's treatment worked, recorded now. */
  for (guint k = 0; k < gen->pending->len; k++)
    {
      const Pending *o = &g_array_index (gen->pending, Pending, k);

      stmt = gen->st.outcome;
      sqlite3_bind_int64 (stmt, 1, p->index + 1);
      sqlite3_bind_int64 (stmt, 2, visit_id);
      bind_id (stmt, 3, o->diagnosis_id);
      bind_id (stmt, 4, o->prescription_id);
      bind_static (stmt, 5, result_names[o->result]);
      bind_static (stmt, 6, o->note);
      sqlite3_bind_text (stmt, 7, started, -1, SQLITE_STATIC);
      bind_static (stmt, 8, clinician->user);
      if (!run_insert (gen, stmt, NULL, error))
        return FALSE;
    }
  g_array_set_size (gen->pending, 0);

  for (guint k = 0; k < n_dx; k++)
    {
      /* No code twice on one visit. */
      gboolean seen = FALSE;
      for (guint j = 0; j < k; j++)
        seen |= dx[j] == dx[k];
      if (seen)
        continue;
      if (!write_diagnosis (gen, visit_id, dx[k], k == 0, started, clinician->user, &dx_ids[k], error))
        return FALSE;
    }

  /* Outcomes are drawn now (an adverse effect stops the drug at the next
   * visit) and written at the next visit. */
  for (guint k = 0; k < n_rx; k++)
    results[k] = draw_result (r, plan->kind, TRUE);
  results[n_rx] = draw_result (r, plan->kind, FALSE);

  format_date (plan->day, date, sizeof date);
  for (guint k = 0; k < n_rx; k++)
    {
      const Drug *d = &drugs[rx[k].drug];
      char duration[24];
      const char *stop_date = NULL;
      g_autofree char *stop_reason = NULL;

      if (d->days)
        {
          g_snprintf (duration, sizeof duration, "%u days", d->days);
          format_date (plan->day + d->days, stop, sizeof stop);
          if (plan->day + d->days < gen->today)
            stop_date = stop;
        }
      else
        g_snprintf (duration, sizeof duration, "90 days");
      if (results[k] == RESULT_ADVERSE && next != NULL)
        {
          format_date (next->day, stop, sizeof stop);
          stop_date = stop;
          stop_reason = g_strdup_printf ("adverse effect: %s", d->adverse);
        }

      stmt = gen->st.prescription;
      sqlite3_bind_int64 (stmt, 1, p->index + 1);
      sqlite3_bind_int64 (stmt, 2, visit_id);
      bind_static (stmt, 3, d->drug);
      bind_static (stmt, 4, d->strength);
      bind_static (stmt, 5, d->form);
      bind_static (stmt, 6, d->dose);
      bind_static (stmt, 7, d->route);
      bind_static (stmt, 8, d->frequency);
      sqlite3_bind_text (stmt, 9, duration, -1, SQLITE_TRANSIENT);
      bind_static (stmt, 10, d->quantity);
      sqlite3_bind_int (stmt, 11, d->refills);
      bind_static (stmt, 12, is_antibiotic (rx[k].drug) ? "Finish the course even if better sooner." : NULL);
      sqlite3_bind_text (stmt, 13, date, -1, SQLITE_STATIC);
      if (stop_date != NULL)
        sqlite3_bind_text (stmt, 14, stop_date, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, 14);
      if (stop_reason != NULL)
        sqlite3_bind_text (stmt, 15, stop_reason, -1, SQLITE_TRANSIENT);
      else if (stop_date != NULL)
        bind_static (stmt, 15, "course completed");
      else
        sqlite3_bind_null (stmt, 15);
      bind_static (stmt, 16, clinician->name);
      sqlite3_bind_text (stmt, 17, started, -1, SQLITE_STATIC);
      bind_static (stmt, 18, clinician->user);
      if (rx[k].chronic != G_MAXUINT && gen->open_rx[rx[k].drug] != 0)
        {
          sqlite3_stmt *renewed = gen->st.renewed;

          sqlite3_bind_text (renewed, 1, date, -1, SQLITE_STATIC);
          sqlite3_bind_text (renewed, 2, started, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (renewed, 3, gen->open_rx[rx[k].drug]);
          if (!run_insert (gen, renewed, NULL, error))
            return FALSE;
          gen->open_rx[rx[k].drug] = 0;
        }
      if (!run_insert (gen, stmt, &rx_ids[k], error))
        return FALSE;
      if (rx[k].chronic != G_MAXUINT && stop_date == NULL)
        gen->open_rx[rx[k].drug] = rx_ids[k];

      /* A drug that did not agree is replaced by the alternative. */
      if (results[k] == RESULT_ADVERSE && rx[k].chronic != G_MAXUINT)
        {
          guint slot = rx[k].chronic;
          guint alternative = chronic[p->chronic.which[slot]].alternative;
          if (rx[k].drug == p->chronic.drug[slot])
            {
              p->chronic.drug[slot] = alternative != rx[k].drug ? alternative : RX_NONE;
              p->chronic.started[slot] = FALSE;
            }
          else
            p->chronic.add_on[slot] = FALSE;
        }
    }

  if (next != NULL)
    {
      for (guint k = 0; k < n_rx; k++)
        {
          Pending o = { dx_ids[rx[k].dx_slot], rx_ids[k], results[k], NULL };

          o.note = results[k] == RESULT_ADVERSE ? drugs[rx[k].drug].adverse
                                                : result_note (r, plan->kind, results[k]);
          /* Renewed long-term drugs: one outcome per condition is enough. */
          if (rx[k].chronic != G_MAXUINT && k > 0 && results[k] != RESULT_ADVERSE &&
              rx[k].dx_slot == rx[k - 1].dx_slot)
            o.diagnosis_id = 0;
          g_array_append_val (gen->pending, o);
        }
      if (n_rx == 0 && plan->kind != KIND_PHYSICAL && plan->kind != KIND_IMMUNIZATION)
        {
          Pending o = { dx_ids[0], 0, results[n_rx], NULL };
          o.note = result_note (r, plan->kind, o.result);
          g_array_append_val (gen->pending, o);
        }
    }

  /* Recalls: scheduled reviews and physicals set the next one. */
  if ((plan->kind == KIND_CHRONIC && !plan->minor) || plan->kind == KIND_PHYSICAL)
    {
      guint months = plan->kind == KIND_PHYSICAL ? 12
                   : chronic[p->chronic.which[primary_chronic]].interval_months;
      guint32 due = plan->day + (guint32) (months * 30.4);
      const Plan *done = NULL;
      char due_date[16], done_at[32];

      for (guint k = index + 1; k < p->plans->len; k++)
        {
          const Plan *later = &g_array_index (p->plans, Plan, k);
          if (later->kind == plan->kind && !later->minor)
            {
              if (later->day <= due + 120)
                done = later;
              break;
            }
        }
      format_date (due, due_date, sizeof due_date);
      if (done != NULL)
        format_stamp (gen, done->day, done->minute, done_at, sizeof done_at);

      stmt = gen->st.follow_up;
      sqlite3_bind_int64 (stmt, 1, p->index + 1);
      sqlite3_bind_int64 (stmt, 2, visit_id);
      sqlite3_bind_text (stmt, 3, due_date, -1, SQLITE_STATIC);
      bind_static (stmt, 4, plan->kind == KIND_PHYSICAL ? "Annual physical"
                            : chronic[p->chronic.which[primary_chronic]].follow_up);
      sqlite3_bind_int (stmt, 5, done != NULL);
      bind_static (stmt, 6, done ? done_at : NULL);
      sqlite3_bind_text (stmt, 7, started, -1, SQLITE_STATIC);
      bind_static (stmt, 8, clinician->user);
      sqlite3_bind_text (stmt, 9, done ? done_at : started, -1, SQLITE_STATIC);
      if (!run_insert (gen, stmt, NULL, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
generate_patient (Gen      *gen,
                  guint     index,
                  Patient  *p,
                  GError  **error)
{
  make_patient (gen, index, p);
  plan_visits (gen, p);

  if (!write_patient_row (gen, p, error))
    return FALSE;

  g_array_set_size (gen->pending, 0);
  memset (gen->open_rx, 0, sizeof gen->open_rx);
  for (guint i = 0; i < p->plans->len; i++)
    if (!write_visit (gen, p, i, error))
      return FALSE;

  return TRUE;
}

static gboolean
finish_practice (Gen      *gen,
                 guint     n_done,
                 gboolean  complete,
                 GError  **error)
{
  g_autofree char *next = g_strdup_printf ("%u", n_done + 1);
  g_autofree char *detail = g_strdup_printf (complete ? "demo practice: %u patients"
                                                      : "demo practice: %u patients (stopped early)",
                                             n_done);

  return _cr_store_set_meta (gen->store, "next-record-number", next, error) &&
         cr_store_audit (gen->store, CR_AUDIT_CREATE, 0, "patients", detail, error);
}

static gint64
query_count (CrStore     *store,
             const char  *sql,
             GError     **error)
{
  sqlite3_stmt *stmt = _cr_store_prepare (store, sql, error);
  gint64 value = -1;
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else
    _cr_store_set_error (store, rc, error);
  sqlite3_reset (stmt);
  return value;
}

/**
 * cr_demo_get_codes:
 * @n_codes: (out): how many
 *
 * Returns: (transfer none) (array length=n_codes): every code the demo
 *   generator can write, in problems and visit diagnoses
 */
const CrDemoCode *
cr_demo_get_codes (guint *n_codes)
{
  g_return_val_if_fail (n_codes != NULL, NULL);

  *n_codes = N_CODES;
  return codes;
}

/**
 * cr_store_generate_demo:
 * @store: an open practice with no patients
 * @n_patients: how many patients, 1 to %CR_DEMO_MAX_PATIENTS
 * @seed: the same seed gives the same practice
 * @progress: (nullable) (scope call): called with the fraction done, on
 *   this thread
 * @cancellable: (nullable): stops between patients; the transaction in
 *   progress is rolled back, the patients already committed stay (with
 *   their audit entry) and %G_IO_ERROR_CANCELLED is returned
 *
 * Fills an empty practice with a synthetic one: about ten visits per
 * patient over the last eight years with coded diagnoses, prescriptions,
 * outcomes, chronic problems, recalls and allergies. Patient #1 has
 * %CR_DEMO_LONG_HISTORY_VISITS visits. Writes one audit entry.
 *
 * Holds the store's lock for one transaction (2,000 patients) at a time.
 *
 * Returns: %TRUE on success
 */
gboolean
cr_store_generate_demo (CrStore        *store,
                        guint           n_patients,
                        guint32         seed,
                        CrProgressFunc  progress,
                        gpointer        progress_data,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GArray) plans = NULL;
  g_autoptr(GArray) pending = NULL;
  g_autoptr(GString) subjective = NULL;
  g_autoptr(GString) objective = NULL;
  g_autoptr(GString) assessment = NULL;
  g_autoptr(GString) plan_text = NULL;
  gint64 saved_cache = 0;
  guint committed = 0;
  gboolean ok = TRUE;
  Gen gen = { 0, };
  GDate date;

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_patients == 0 || n_patients > CR_DEMO_MAX_PATIENTS)
    {
      g_set_error (error, CR_DEMO_ERROR, CR_DEMO_ERROR_INVALID,
                   "A demo practice has 1 to %u patients, not %u",
                   CR_DEMO_MAX_PATIENTS, n_patients);
      return FALSE;
    }

  rand = g_rand_new_with_seed (seed);
  tz = g_time_zone_new_local ();
  plans = g_array_new (FALSE, FALSE, sizeof (Plan));
  pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  subjective = g_string_sized_new (256);
  objective = g_string_sized_new (256);
  assessment = g_string_sized_new (256);
  plan_text = g_string_sized_new (512);

  gen.store = store;
  gen.rand = rand;
  gen.tz = tz;
  gen.n_patients = n_patients;
  gen.subjective = subjective;
  gen.objective = objective;
  gen.assessment = assessment;
  gen.plan = plan_text;
  gen.pending = pending;
  cr_date_set_today (&date);
  gen.today = g_date_get_julian (&date);
  g_date_set_dmy (&date, 1, G_DATE_JANUARY, 1970);
  gen.unix_epoch = g_date_get_julian (&date);
  /* Nothing today or later: yesterday, or the last weekday before it. */
  gen.latest = gen.today - 1;
  while (weekday (gen.latest) > 5)
    gen.latest--;

  {
    g_autoptr(CrStoreLocker) locker = _cr_store_lock (store);
    gint64 existing;

    gen.db = _cr_store_get_db (store);
    existing = query_count (store, "SELECT count(*) FROM patients", error);
    if (existing < 0)
      return FALSE;
    if (existing > 0)
      {
        g_set_error (error, CR_DEMO_ERROR, CR_DEMO_ERROR_NOT_EMPTY,
                     "This practice already has %" G_GINT64_FORMAT " patients; "
                     "demo data goes only into a new, empty practice", existing);
        return FALSE;
      }

    /* A larger page cache while writing: the indexes on dates and codes
     * take inserts all over. Restored at the end. */
    saved_cache = query_count (store, "PRAGMA cache_size", NULL);
    _cr_store_exec (store, "PRAGMA cache_size = -262144", NULL);
  }

  if (progress != NULL)
    progress (0.0, progress_data);

  for (guint first = 0; first < n_patients && ok; first += BATCH_PATIENTS)
    {
      g_autoptr(CrStoreLocker) locker = _cr_store_lock (store);
      guint end = MIN (first + BATCH_PATIENTS, n_patients);

      if (!_cr_store_begin (store, &local_error) || !prepare_statements (&gen, &local_error))
        {
          _cr_store_rollback (store);
          ok = FALSE;
          break;
        }

      for (guint i = first; i < end; i++)
        {
          Patient patient = { 0, };

          if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
            {
              ok = FALSE;
              break;
            }

          patient.plans = plans;
          if (!generate_patient (&gen, i, &patient, &local_error))
            {
              ok = FALSE;
              break;
            }

          if (progress != NULL && (i + 1) % PROGRESS_EVERY == 0 && i + 1 < n_patients)
            progress ((double) (i + 1) / n_patients, progress_data);
        }

      if (ok && end == n_patients && !finish_practice (&gen, n_patients, TRUE, &local_error))
        ok = FALSE;

      if (!ok || !_cr_store_commit (store, &local_error))
        {
          _cr_store_rollback (store);
          ok = FALSE;
          break;
        }
      committed = end;
      g_debug ("Demo practice: %u of %u patients written", committed, n_patients);
    }

  {
    g_autoptr(CrStoreLocker) locker = _cr_store_lock (store);
    g_autofree char *restore = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, saved_cache);

    /* What was committed before a failure or cancellation stays, so it
     * gets its record-number counter and audit entry. */
    if (!ok && committed > 0)
      {
        g_autoptr(GError) finish_error = NULL;

        if (!_cr_store_begin (store, &finish_error) ||
            !finish_practice (&gen, committed, FALSE, &finish_error) ||
            !_cr_store_commit (store, &finish_error))
          {
            _cr_store_rollback (store);
            g_warning ("Could not record the partial demo practice: %s", finish_error->message);
          }
      }

    if (saved_cache != 0)
      _cr_store_exec (store, restore, NULL);
    /* Fold the write-ahead log into the database file. */
    if (ok)
      _cr_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
  }

  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (progress != NULL)
    progress (1.0, progress_data);
  return TRUE;
}

/**
 * cr_demo_count_rows:
 * @counts: (out caller-allocates): the counts
 *
 * Counts the rows of the practice's clinical tables.
 */
gboolean
cr_demo_count_rows (CrStore       *store,
                    CrDemoCounts  *counts,
                    GError       **error)
{
  g_autoptr(CrStoreLocker) locker = NULL;
  struct { const char *sql; gint64 *out; } queries[] = {
    { "SELECT count(*) FROM patients", &counts->patients },
    { "SELECT count(*) FROM visits", &counts->visits },
    { "SELECT count(*) FROM visit_diagnoses", &counts->diagnoses },
    { "SELECT count(*) FROM prescriptions", &counts->prescriptions },
    { "SELECT count(*) FROM outcomes", &counts->outcomes },
    { "SELECT count(*) FROM problems", &counts->problems },
    { "SELECT count(*) FROM allergies", &counts->allergies },
    { "SELECT count(*) FROM follow_ups", &counts->follow_ups },
  };

  g_return_val_if_fail (CR_IS_STORE (store), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  locker = _cr_store_lock (store);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    if ((*queries[i].out = query_count (store, queries[i].sql, error)) < 0)
      return FALSE;
  return TRUE;
}

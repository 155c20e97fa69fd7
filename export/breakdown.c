/*
 * breakdown.c - counts that need the key: each choice question's answers,
 * overall and by age band and by district, from the decrypted responses,
 * suppressed together with the themes table they share counts with (see
 * export.h).
 *
 * What a reader sees, for disclosure.c:
 *   a question's "answered" count     the sum of its options (one choice), or
 *                                     at least each option (several choices)
 *   an option's count                 the sum of its age (district) columns,
 *                                     "not given" included
 *   an age band's column              at most the band's size (the age
 *                                     question's own count), exactly it when
 *                                     everyone answered
 *   a theme's survey count            people who chose any option raising it
 *   a question everyone is asked      its "answered" is the size of the
 *                                     surveys that ask it (published with
 *                                     the themes table); any other at most that
 * The themes table was suppressed first and is published as it is: its
 * cells take part in the audit but are never hidden again here.
 *
 * Answers of fewer than N people are not published at all ("[x]", withheld):
 * a question answered by 1 to N-1 shows no answers, and an age band or
 * district of 1 to N-1 responses no column, since "3 answered, 0 chose this"
 * tells what each of the 3 did.  Withheld counts are still audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"

static const char *const choice_types[] = {
	"single", "multiple", "rating", "yes_no", "age_band", "district",
	"gender", "ethnicity", "disability", "young_carer", "care_experience", NULL
};

static int is_choice(const struct export_question *q)
{
	for (int i = 0; choice_types[i]; i++)
		if (strcmp(q->type, choice_types[i]) == 0)
			return q->noptions > 0;
	return 0;
}

static int find_grouping(const struct export_questions *qs, const char *type)
{
	for (int i = 0; i < qs->n; i++)
		if (strcmp(qs->items[i].type, type) == 0 && qs->items[i].noptions > 0)
			return i;
	return -1;
}

/* Where each count lives in the flat tally array of a pass. */
static size_t slot_answered(const struct export_breakdown *b, int q)
{
	return b->q[q].base;
}

static size_t slot_option(const struct export_breakdown *b, int q, int k)
{
	return b->q[q].base + 1 + (size_t)k;
}

static size_t slot_group(const struct export_breakdown *b, int q, int k, int by, int g)
{
	size_t at = b->q[q].base + 1 + (size_t)b->qs->items[q].noptions;
	if (by == 1)
		at += (size_t)b->qs->items[q].noptions * (size_t)b->by[0].ngroups;
	return at + (size_t)k * (size_t)b->by[by].ngroups + (size_t)g;
}

/* The option index an answer picks, or -1. */
static int option_index(const struct export_question *q, const cJSON *v)
{
	if (!cJSON_IsString(v))
		return -1;
	for (int k = 0; k < q->noptions; k++)
		if (strcmp(q->options[k].id, v->valuestring) == 0)
			return k;
	return -1;
}

static void count_response(void *arg, struct export_opened *out, const struct store_sealed *s,
			   const cJSON *answers)
{
	const struct export_breakdown *b = arg;
	int group[2];

	(void)s;
	out->counts[b->nslots - 1]++;   /* responses opened */
	for (int by = 0; by < 2; by++) {
		int gq = b->by[by].question;
		int k = gq < 0 ? -1 : option_index(&b->qs->items[gq],
			cJSON_GetObjectItemCaseSensitive(answers, b->qs->items[gq].id));
		group[by] = k < 0 ? b->by[by].ngroups - 1 : k;  /* last: not given */
	}
	for (int i = 0; i < b->qs->n; i++) {
		const struct export_question *q = &b->qs->items[i];
		if (!b->q[i].choice)
			continue;
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(answers, q->id);
		if (!v)
			continue;
		out->counts[slot_answered(b, i)]++;
		for (int k = 0; k < q->noptions; k++) {
			int chosen = 0;
			if (cJSON_IsArray(v)) {
				for (const cJSON *x = v->child; x && !chosen; x = x->next)
					chosen = cJSON_IsString(x) && strcmp(x->valuestring, q->options[k].id) == 0;
			} else {
				chosen = option_index(q, v) == k;
			}
			if (!chosen)
				continue;
			out->counts[slot_option(b, i, k)]++;
			for (int by = 0; by < 2; by++)
				if (b->by[by].question >= 0 && b->by[by].question != i)
					out->counts[slot_group(b, i, k, by, group[by])]++;
		}
	}
}

static enum sv_err add_batch(void *arg, const struct export_opened *out)
{
	struct export_breakdown *b = arg;
	for (size_t i = 0; i < b->nslots; i++)
		b->cells[i].value += out->counts[i];
	return SV_OK;
}

/* Lays out the slots: per choice question, answered, options, then the
 * options by each grouping; the last slot counts responses. */
static enum sv_err lay_out(struct export_breakdown *b)
{
	size_t at = 0;
	const char *types[2] = { "age_band", "district" };

	for (int by = 0; by < 2; by++) {
		b->by[by].question = find_grouping(b->qs, types[by]);
		b->by[by].ngroups = b->by[by].question < 0 ? 1 :
			b->qs->items[b->by[by].question].noptions + 1;
	}
	b->q = calloc((size_t)b->qs->n + 1, sizeof *b->q);
	if (!b->q)
		return SV_ERR_NOMEM;
	for (int i = 0; i < b->qs->n; i++) {
		const struct export_question *q = &b->qs->items[i];
		b->q[i].choice = is_choice(q);
		if (!b->q[i].choice)
			continue;
		b->q[i].base = at;
		at += 1 + (size_t)q->noptions * (1 + (size_t)b->by[0].ngroups + (size_t)b->by[1].ngroups);
	}
	b->nslots = at + 1;
	b->cells = calloc(b->nslots, sizeof *b->cells);
	return b->cells ? SV_OK : SV_ERR_NOMEM;
}

/* ---- suppression ---- */

static struct cell *cell_at(struct export_breakdown *b, size_t slot)
{
	return &b->cells[slot];
}

/* The cell counting people in group g of grouping by: an option of the
 * grouping question, or the "not given" cell. */
static struct cell *group_size(struct export_breakdown *b, int by, int g)
{
	int gq = b->by[by].question;
	if (g == b->by[by].ngroups - 1)
		return &b->not_given[by];
	return cell_at(b, slot_option(b, gq, g));
}

static void relate_question(struct export_breakdown *b, struct disclosure *d, int i,
			    struct cell **list)
{
	const struct export_question *q = &b->qs->items[i];
	enum disclosure_relation parts = q->multiple ? DISCLOSE_ANY : DISCLOSE_SUM;
	int n = 0;

	list[n++] = cell_at(b, slot_answered(b, i));
	for (int k = 0; k < q->noptions; k++)
		list[n++] = cell_at(b, slot_option(b, i, k));
	disclosure_relate(d, parts, list, n);
	for (int by = 0; by < 2; by++) {
		if (b->by[by].question < 0 || b->by[by].question == i)
			continue;
		int ng = b->by[by].ngroups;
		for (int k = 0; k < q->noptions; k++) {
			n = 0;
			list[n++] = cell_at(b, slot_option(b, i, k));
			for (int g = 0; g < ng; g++)
				list[n++] = cell_at(b, slot_group(b, i, k, by, g));
			disclosure_relate(d, DISCLOSE_SUM, list, n);
		}
		for (int g = 0; g < ng; g++) {
			n = 0;
			list[n++] = group_size(b, by, g);
			for (int k = 0; k < q->noptions; k++)
				list[n++] = cell_at(b, slot_group(b, i, k, by, g));
			disclosure_relate(d, q->multiple ? DISCLOSE_AT_MOST : DISCLOSE_SUM, list, n);
		}
	}
}

/* A theme's survey count: people who chose any option raising it. */
static void relate_themes(struct export_breakdown *b, struct disclosure *d,
			  struct export_table *t, struct cell **list)
{
	for (size_t r = 0; r < t->nrows; r++) {
		int first = 1;
		for (size_t j = 0; j < r && first; j++)
			first = t->rows[j].theme != t->rows[r].theme;
		if (!first)
			continue;
		int n = 0;
		list[n++] = &t->rows[r].cells[EXPORT_SURVEY];
		for (int i = 0; i < b->qs->n; i++) {
			const struct export_question *q = &b->qs->items[i];
			for (int k = 0; b->q[i].choice && k < q->noptions; k++)
				for (int th = 0; th < q->options[k].nthemes; th++)
					if (strcmp(q->options[k].themes[th], t->rows[r].theme->id) == 0 &&
					    n < DISCLOSURE_MAX_RELATION)
						list[n++] = cell_at(b, slot_option(b, i, k));
		}
		if (n > 1)
			disclosure_relate(d, DISCLOSE_ANY, list, n);
	}
}

/* answered(q) against the sizes of the surveys that ask q. */
static void relate_asked(struct export_breakdown *b, struct disclosure *d, struct export_table *t,
			 int i, struct cell **list)
{
	const struct export_question *q = &b->qs->items[i];
	int n = 0;

	list[n++] = cell_at(b, slot_answered(b, i));
	for (int k = 0; k < q->nsurveys; k++)
		for (size_t s = 0; s < t->nsurveys && n < DISCLOSURE_MAX_RELATION; s++)
			if (strcmp(t->surveys[s].id, q->surveys[k]) == 0)
				list[n++] = &t->surveys[s].responses;
	if (n > 1)
		disclosure_relate(d, q->answered_by_all ? DISCLOSE_SUM : DISCLOSE_WITHIN, list, n);
}

static int small(const struct cell *c, int min_cell)
{
	return c->value > 0 && c->value < min_cell;
}

/* Withholds every answer count that describes 1 to N-1 people. */
static void withhold_small_groups(struct export_breakdown *b, struct disclosure *d, int min_cell)
{
	for (int i = 0; i < b->qs->n; i++) {
		const struct export_question *q = &b->qs->items[i];
		if (!b->q[i].choice)
			continue;
		int few = small(cell_at(b, slot_answered(b, i)), min_cell);
		for (int k = 0; k < q->noptions; k++) {
			if (few)
				disclosure_withheld(d, cell_at(b, slot_option(b, i, k)));
			for (int by = 0; by < 2; by++) {
				if (b->by[by].question < 0 || b->by[by].question == i)
					continue;
				for (int g = 0; g < b->by[by].ngroups; g++)
					if (few || small(group_size(b, by, g), min_cell))
						disclosure_withheld(d, cell_at(b, slot_group(b, i, k, by, g)));
			}
		}
	}
}

/* ---- merged groups, for the report ---- */

#define DECLINED "prefer-not-to-say"   /* forms/form.h FORM_PREFER_NOT: never merged */

/* Fills m->of from the flags: age (run) starts a new group at each flagged
 * band; districts (other) gather flagged ones into one group, placed where
 * the first of them was.
 * "Not given" stays last and alone.  Returns the number of groups. */
static int regroup(struct export_merge *m, int ng, const int *flag, int by)
{
	int n = 0;

	m->other = -1;
	for (int g = 0; g + 1 < ng; g++) {
		if (by == EXPORT_BY_AGE)
			m->of[g] = g == 0 || flag[g] ? n++ : n - 1;
		else if (!flag[g])
			m->of[g] = n++;
		else   /* "Other areas" where its first district was */
			m->of[g] = m->other < 0 ? (m->other = n++) : m->other;
	}
	m->of[ng - 1] = n++;
	return n;
}

static long long merged_size(struct export_breakdown *b, const struct export_merge *m, int by,
			     int mg)
{
	long long v = 0;
	for (int g = 0; g < b->by[by].ngroups; g++)
		if (m->of[g] == mg)
			v += group_size(b, by, g)->value;
	return v;
}

/* Of the cells the merged groups of N or more would publish, how many are
 * small, and how many in all. */
static void count_small(struct export_breakdown *b, int by, const struct export_merge *m,
			int nm, long long *small_n, long long *all_n)
{
	int gq = b->by[by].question, ng = b->by[by].ngroups;

	*small_n = *all_n = 0;
	for (int mg = 0; mg + 1 < nm; mg++) {
		if (merged_size(b, m, by, mg) < b->min_cell)
			continue;
		for (int i = 0; i < b->qs->n; i++) {
			if (!b->q[i].choice || i == gq)
				continue;
			for (int k = 0; k < b->qs->items[i].noptions; k++) {
				long long v = 0;
				for (int g = 0; g + 1 < ng; g++)
					if (m->of[g] == mg)
						v += b->cells[slot_group(b, i, k, by, g)].value;
				*all_n += 1;
				*small_n += v > 0 && v < b->min_cell;
			}
		}
	}
}

/* 1 if group g may be merged: it has responses, is not "prefer not to say",
 * and (age) is a band "N-M", so that merged bands read "11 to 15". */
static int mergeable(struct export_breakdown *b, int by, int g)
{
	const struct export_question *q = &b->qs->items[b->by[by].question];
	int lo, hi, end = 0;

	if (g >= q->noptions || group_size(b, by, g)->value == 0 ||
	    strcmp(q->options[g].id, DECLINED) == 0)
		return 0;
	return by == EXPORT_BY_DISTRICT ||
	       (sscanf(q->options[g].id, "%d-%d%n", &lo, &hi, &end) == 2 && !q->options[g].id[end]);
}

/* 1 if merged group mg is made of mergeable groups only. */
static int run_mergeable(struct export_breakdown *b, const struct export_merge *m, int by, int mg)
{
	int any = 0;
	for (int g = 0; g + 1 < b->by[by].ngroups; g++)
		if (m->of[g] == mg) {
			if (!mergeable(b, by, g))
				return 0;
			any = 1;
		}
	return any;
}

/* 1 if a mergeable group (not yet merged) has 1 to N-1 responses. */
static int small_left(struct export_breakdown *b, const struct export_merge *m, int by, int nm,
		      const int *flag)
{
	for (int mg = 0; mg + 1 < nm; mg++) {
		long long v = merged_size(b, m, by, mg);
		if (v > 0 && v < b->min_cell && run_mergeable(b, m, by, mg) &&
		    (by == EXPORT_BY_AGE || mg != m->other))
			return 1;
	}
	if (by == EXPORT_BY_DISTRICT && m->other >= 0) {
		long long v = merged_size(b, m, by, m->other);
		for (int g = 0; g + 1 < b->by[by].ngroups; g++)
			if (!flag[g] && mergeable(b, by, g) && v < b->min_cell)
				return 1;
	}
	return 0;
}

/*
 * Decides the report's groups: while a group that may be merged has 1 to N-1
 * responses, or more than a third of the cells would be small, merges the
 * two neighbouring age bands with the fewest responses between them, or
 * moves the district with the fewest responses into "Other areas" (two at
 * the start: an "other" of one is no merge).  Groups with no responses and
 * "prefer not to say" stay as they are.  Then lays out the merged cells,
 * summed from the groups'.
 */
static enum sv_err merge_groups(struct export_breakdown *b, int by)
{
	struct export_merge *m = &b->merge[by];
	int ng = b->by[by].ngroups, flag[EXPORT_MAX_GROUPS] = { 0 }, nm = 0;
	long long small_n, all_n;

	if (b->by[by].question < 0 || b->min_cell <= 1 || ng > EXPORT_MAX_GROUPS)
		return SV_OK;
	for (int g = 0; g < ng; g++)
		flag[g] = by == EXPORT_BY_AGE;   /* each band its own run */
	nm = regroup(m, ng, flag, by);
	for (;;) {
		count_small(b, by, m, nm, &small_n, &all_n);
		if (!small_left(b, m, by, nm, flag) && 3 * small_n <= all_n)
			break;
		int changed = 0;
		if (by == EXPORT_BY_AGE) {
			int best = -1;
			long long fewest = 0;
			for (int mg = 0; mg + 2 < nm; mg++) {
				if (!run_mergeable(b, m, by, mg) || !run_mergeable(b, m, by, mg + 1))
					continue;
				long long v = merged_size(b, m, by, mg) + merged_size(b, m, by, mg + 1);
				if (best < 0 || v < fewest) {
					best = mg;
					fewest = v;
				}
			}
			for (int g = 1; best >= 0 && g + 1 < ng; g++)   /* the later run joins */
				if (m->of[g] == best + 1 && m->of[g - 1] == best)
					flag[g] = 0, changed = 1;
		} else {
			for (int moved = 0; moved < (m->other < 0 ? 2 : 1); moved++) {
				int best = -1;
				for (int g = 0; g + 1 < ng; g++)
					if (!flag[g] && mergeable(b, by, g) &&
					    (best < 0 || group_size(b, by, g)->value <
					     group_size(b, by, best)->value))
						best = g;
				if (best >= 0)
					flag[best] = 1, changed = 1;
			}
		}
		if (!changed)
			break;
		nm = regroup(m, ng, flag, by);
	}
	if (nm == ng)
		return SV_OK;
	m->merged = 1;
	m->ngroups = nm;
	m->base = calloc((size_t)b->qs->n + 1, sizeof *m->base);
	if (!m->base)
		return SV_ERR_NOMEM;
	for (int i = 0; i < b->qs->n; i++) {
		m->base[i] = m->ncells;
		if (b->q[i].choice && i != b->by[by].question)
			m->ncells += (size_t)b->qs->items[i].noptions * (size_t)nm;
	}
	m->cells = calloc(m->ncells + 1, sizeof *m->cells);
	if (!m->cells)
		return SV_ERR_NOMEM;
	for (int i = 0; i < b->qs->n; i++)
		if (b->q[i].choice && i != b->by[by].question)
			for (int k = 0; k < b->qs->items[i].noptions; k++)
				for (int g = 0; g < ng; g++)
					m->cells[m->base[i] + (size_t)k * (size_t)nm + (size_t)m->of[g]].value +=
						b->cells[slot_group(b, i, k, by, g)].value;
	for (int mg = 0; mg < nm; mg++)
		m->sizes[mg].value = merged_size(b, m, by, mg);
	return SV_OK;
}

static struct cell *merged_at(struct export_breakdown *b, int by, int i, int k, int mg)
{
	struct export_merge *m = &b->merge[by];
	return &m->cells[m->base[i] + (size_t)k * (size_t)m->ngroups + (size_t)mg];
}

/* A merged group is the sum of its groups, in size and in each answer; the
 * answers of a group of 1 to N-1 are withheld, as for any group. */
static void relate_merged(struct export_breakdown *b, struct disclosure *d, int by,
			  struct cell **list, int min_cell)
{
	struct export_merge *m = &b->merge[by];
	int ng = b->by[by].ngroups, gq = b->by[by].question;

	if (!m->merged)
		return;
	for (int mg = 0; mg < m->ngroups; mg++) {
		int n = 0;
		list[n++] = &m->sizes[mg];
		for (int g = 0; g < ng; g++)
			if (m->of[g] == mg)
				list[n++] = group_size(b, by, g);
		disclosure_relate(d, DISCLOSE_SUM, list, n);
	}
	for (int i = 0; i < b->qs->n; i++) {
		if (!b->q[i].choice || i == gq)
			continue;
		int few = small(cell_at(b, slot_answered(b, i)), min_cell);
		for (int k = 0; k < b->qs->items[i].noptions; k++)
			for (int mg = 0; mg < m->ngroups; mg++) {
				int n = 0;
				list[n++] = merged_at(b, by, i, k, mg);
				for (int g = 0; g < ng; g++)
					if (m->of[g] == mg)
						list[n++] = cell_at(b, slot_group(b, i, k, by, g));
				disclosure_relate(d, DISCLOSE_SUM, list, n);
				if (min_cell > 0 && (few || small(&m->sizes[mg], min_cell)))
					disclosure_withheld(d, merged_at(b, by, i, k, mg));
			}
	}
}

static enum sv_err suppress(struct export_breakdown *b, struct export_table *t, int min_cell)
{
	struct disclosure *d = disclosure_new();
	struct cell **list = calloc(DISCLOSURE_MAX_RELATION + 1, sizeof *list);
	enum sv_err rc = SV_ERR_NOMEM;

	if (!d || !list)
		goto out;
	struct cell *n_cell = &t->took_part.responses;
	for (int i = 0; i < b->qs->n; i++)
		if (b->q[i].choice) {
			relate_question(b, d, i, list);
			relate_asked(b, d, t, i, list);
		}
	/* Everyone who gave an age band, plus those who did not, is everyone. */
	for (int by = 0; by < 2; by++) {
		int gq = b->by[by].question, n = 0;
		if (gq < 0)
			continue;
		list[n++] = n_cell;
		for (int g = 0; g < b->by[by].ngroups; g++)
			list[n++] = group_size(b, by, g);
		disclosure_relate(d, DISCLOSE_SUM, list, n);
	}
	int n = 0;
	list[n++] = n_cell;
	for (int i = 0; i < b->qs->n && n < DISCLOSURE_MAX_RELATION; i++)
		if (b->q[i].choice)
			list[n++] = cell_at(b, slot_answered(b, i));
	if (n > 1)
		disclosure_relate(d, DISCLOSE_AT_MOST, list, n);
	rc = export_table_relations(t, d);
	if (rc)
		goto out;
	relate_themes(b, d, t, list);
	export_table_fix(t, d);
	if (min_cell > 0)
		withhold_small_groups(b, d, min_cell);
	for (int by = 0; by < 2; by++)
		relate_merged(b, d, by, list, min_cell);
	rc = disclosure_protect(d, min_cell);
	b->secondary = disclosure_secondary(d);
out:
	if (rc) {
		for (size_t i = 0; i < b->nslots; i++)
			b->cells[i].state = CELL_HIDDEN;
		for (int by = 0; by < 2; by++) {
			for (size_t i = 0; i < b->merge[by].ncells; i++)
				b->merge[by].cells[i].state = CELL_HIDDEN;
			for (int mg = 0; mg < EXPORT_MAX_GROUPS; mg++)
				b->merge[by].sizes[mg].state = CELL_HIDDEN;
		}
	}
	free(list);
	disclosure_free(d);
	return rc;
}

enum sv_err export_breakdown_build(struct store *st, const char *consultation,
				   const struct export_keys *keys, struct export_table *t,
				   struct export_breakdown **out, struct export_result *result)
{
	struct export_breakdown *b = calloc(1, sizeof *b);
	struct export_questions *qs = NULL;
	enum sv_err rc;

	*out = NULL;
	if (!b)
		return SV_ERR_NOMEM;
	rc = export_questions_load(st, consultation, &qs);
	if (rc)
		goto out;
	b->qs = qs;
	rc = lay_out(b);
	if (rc)
		goto out;
	struct export_pass pass = { .on_response = count_response, .on_batch = add_batch,
				    .arg = b, .ncounts = b->nslots };
	rc = export_open_each(st, consultation, keys, &pass, result);
	if (rc)
		goto out;
	b->opened = b->cells[b->nslots - 1].value;
	/* "Not given": everyone opened less those who answered the grouping. */
	for (int by = 0; by < 2; by++) {
		int gq = b->by[by].question;
		b->not_given[by].value = gq < 0 ? 0 : b->opened - cell_at(b, slot_answered(b, gq))->value;
	}
	b->min_cell = t->min_cell;
	for (int by = 0; by < 2 && !rc; by++)
		rc = merge_groups(b, by);
	if (!rc)
		rc = suppress(b, t, t->min_cell);
out:
	if (rc)
		export_breakdown_free(b);
	else
		*out = b;
	return rc;
}

void export_breakdown_round(struct export_breakdown *b, int n)
{
	for (size_t i = 0; i + 1 < b->nslots; i++)
		export_round_cell(&b->cells[i], n);
	for (int by = 0; by < 2; by++) {
		export_round_cell(&b->not_given[by], n);
		for (size_t i = 0; i < b->merge[by].ncells; i++)
			export_round_cell(&b->merge[by].cells[i], n);
		for (int mg = 0; mg < b->merge[by].ngroups; mg++)
			export_round_cell(&b->merge[by].sizes[mg], n);
	}
}

const struct cell *export_breakdown_answered(const struct export_breakdown *b, int q)
{
	return &b->cells[slot_answered(b, q)];
}

const struct cell *export_breakdown_option(const struct export_breakdown *b, int q, int k)
{
	return &b->cells[slot_option(b, q, k)];
}

const struct cell *export_breakdown_group(const struct export_breakdown *b, int q, int k, int by,
					  int g)
{
	return &b->cells[slot_group(b, q, k, by, g)];
}

const struct cell *export_breakdown_group_size(struct export_breakdown *b, int by, int g)
{
	return group_size(b, by, g);
}

const struct cell *export_breakdown_merged(const struct export_breakdown *b, int q, int k, int by,
					   int m)
{
	const struct export_merge *mg = &b->merge[by];
	if (q < 0)   /* the merged group's size */
		return &mg->sizes[m];
	return &mg->cells[mg->base[q] + (size_t)k * (size_t)mg->ngroups + (size_t)m];
}

/* "11 to 13" + "14 or 15" as "11 to 15": the first number of the first band's
 * id and the last of the last's, where both ids are "N-M"; else the labels. */
void export_breakdown_merged_label(const struct export_breakdown *b, int by, int m,
				   char *out, size_t outlen)
{
	const struct export_merge *mg = &b->merge[by];
	int gq = b->by[by].question, ng = b->by[by].ngroups, first = -1, last = -1;

	if (m == mg->ngroups - 1) {
		snprintf(out, outlen, "Not given");
		return;
	}
	if (m == mg->other) {
		snprintf(out, outlen, "Other areas");
		return;
	}
	for (int g = 0; g + 1 < ng; g++)
		if (mg->of[g] == m) {
			if (first < 0)
				first = g;
			last = g;
		}
	const struct export_question *q = &b->qs->items[gq];
	if (first < 0) {
		snprintf(out, outlen, "?");
		return;
	}
	if (first == last) {
		snprintf(out, outlen, "%s", q->options[first].label);
		return;
	}
	int lo1, hi1, lo2, hi2, end1 = 0, end2 = 0;
	if (sscanf(q->options[first].id, "%d-%d%n", &lo1, &hi1, &end1) == 2 &&
	    sscanf(q->options[last].id, "%d-%d%n", &lo2, &hi2, &end2) == 2 &&
	    !q->options[first].id[end1] && !q->options[last].id[end2])
		snprintf(out, outlen, "%d to %d", lo1, hi2);
	else
		snprintf(out, outlen, "%s to %s", q->options[first].label, q->options[last].label);
}

void export_breakdown_free(struct export_breakdown *b)
{
	if (!b)
		return;
	for (int by = 0; by < 2; by++) {
		free(b->merge[by].cells);
		free(b->merge[by].base);
	}
	export_questions_free((struct export_questions *)b->qs);
	free(b->q);
	free(b->cells);
	free(b);
}

/*
 * decisions.c - the decision log of "you said, we did" as evidence, CSV and
 * JSON (see export.h).  Staff wrote every text here, so a cell that starts
 * like a formula is defused as in every CSV export (export_csv_field).
 */
#include <string.h>

#include "export.h"

static const char *priority_name(const struct taxonomy *t, int number)
{
	int i = taxonomy_priority_index(t, number);
	return i >= 0 ? t->priorities[i].name : "";
}

void export_decisions_csv(const struct taxonomy *t, const struct store_decision *d, size_t n,
			  struct sbuf *out)
{
	sbuf_adds(out, "id,priority_number,priority,young_people_said,decided,decided_by,lead,status,"
		  "why_not_possible,decided_on,last_changed\r\n");
	for (size_t i = 0; i < n; i++) {
		sbuf_addf(out, "%lld,%d,", d[i].id, d[i].priority);
		export_csv_field(out, priority_name(t, d[i].priority));
		sbuf_adds(out, ",");
		export_csv_field(out, d[i].said);
		sbuf_adds(out, ",");
		export_csv_field(out, d[i].decided);
		sbuf_adds(out, d[i].by_board ? ",board," : ",lead,");
		export_csv_field(out, d[i].lead);
		sbuf_addf(out, ",%s,", store_decision_status_name(d[i].status));
		export_csv_field(out, d[i].why);
		sbuf_addf(out, ",%s,%s\r\n", d[i].decided_on, d[i].changed_on);
	}
}

static void json_field(struct sbuf *out, const char *key, const char *value, int comma)
{
	sbuf_addf(out, "%s\"%s\":\"", comma ? "," : "", key);
	sbuf_add_json(out, value, strlen(value));
	sbuf_adds(out, "\"");
}

void export_decisions_json(const char *consultation, const char *generated, const struct taxonomy *t,
			   const struct store_decision *d, size_t n, struct sbuf *out)
{
	sbuf_adds(out, "{");
	json_field(out, "consultation", consultation, 0);
	json_field(out, "generated", generated, 1);
	sbuf_adds(out, ",\"decisions\":[");
	for (size_t i = 0; i < n; i++) {
		sbuf_addf(out, "%s\n{\"id\":%lld,\"priority_number\":%d", i ? "," : "", d[i].id, d[i].priority);
		json_field(out, "priority", priority_name(t, d[i].priority), 1);
		json_field(out, "young_people_said", d[i].said, 1);
		json_field(out, "decided", d[i].decided, 1);
		json_field(out, "decided_by", d[i].by_board ? "board" : "lead", 1);
		json_field(out, "lead", d[i].lead, 1);
		json_field(out, "status", store_decision_status_name(d[i].status), 1);
		json_field(out, "why_not_possible", d[i].why, 1);
		json_field(out, "decided_on", d[i].decided_on, 1);
		json_field(out, "last_changed", d[i].changed_on, 1);
		sbuf_adds(out, "}");
	}
	sbuf_adds(out, "]}\n");
}

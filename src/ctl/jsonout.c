// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memcgctl's JSON output (see jsonout.h).
 *
 * May include: libc, json-c, the protocol. Not the engine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/printbuf.h>

#include "ctl/jsonout.h"

/* The shortest "%.*g" of @v that strtod() reads back as @v. */
static int double_to_json(struct json_object *jso, struct printbuf *pb, int level, int flags)
{
	double v = json_object_get_double(jso);
	char buf[32];
	int prec;

	for (prec = 1; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (prec == 17)
		snprintf(buf, sizeof(buf), "%.17g", v);
	return printbuf_memappend(pb, buf, (int)strlen(buf));
}

static void clean_doubles(struct json_object *obj)
{
	size_t i;

	switch (json_object_get_type(obj)) {
	case json_type_double:
		json_object_set_serializer(obj, double_to_json, NULL, NULL);
		break;
	case json_type_array:
		for (i = 0; i < json_object_array_length(obj); i++)
			clean_doubles(json_object_array_get_idx(obj, i));
		break;
	case json_type_object: {
		json_object_object_foreach(obj, key, val) {
			(void)key;
			clean_doubles(val);
		}
		break;
	}
	default:
		break;
	}
}

void json_print_line(FILE *out, struct json_object *obj)
{
	clean_doubles(obj);
	fprintf(out, "%s\n", json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
							    JSON_C_TO_STRING_NOSLASHESCAPE));
}

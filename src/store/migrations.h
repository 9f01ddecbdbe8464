/*
 * migrations.h — the versioned schema (see migrations.c).
 */
#ifndef CAIRN_MIGRATIONS_H
#define CAIRN_MIGRATIONS_H

struct migration {
	int version;
	const char *name;
	const char *sql; /* portable SQL with {{WORD}} dialect tokens */
};

extern const struct migration migrations[];
extern const int migrations_count;

#endif

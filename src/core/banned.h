/*
 * banned.h — force-included into every translation unit: unsafe libc
 * calls become compile errors (as in git's banned.h).  Use snprintf,
 * strtol/strtoll with checks, and bounded copies instead.
 */
#ifndef CAIRN_BANNED_H
#define CAIRN_BANNED_H

/* The system headers declare these names; include them before the macros. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BANNED(f) sorry_##f##_is_banned_in_cairn

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef gets
#define gets(x) BANNED(gets)

#endif

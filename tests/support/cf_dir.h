/* Files in scratch directories, for the tests of what conform writes (util_atomic.h): writing a
 * file before a run, and counting what a directory holds after (a temporary file left behind
 * shows up as one name too many). */
#ifndef CF_DIR_H
#define CF_DIR_H

/* Writes text to path (created or truncated); fails the test when it cannot. */
void cf_dir_put(const char *path, const char *text);

/* The whole text of the file at path (malloc'd, the caller frees it); fails the test when it
 * cannot be read. */
char *cf_dir_get(const char *path);

/* The number of names in dir, "." and ".." left out (hidden names counted); fails the test when
 * dir cannot be read. */
int cf_dir_count(const char *dir);

#endif

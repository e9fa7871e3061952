/* Files in scratch directories (cf_dir.h). */
#include "cf_dir.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "util_file.h"

void cf_dir_put(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp, "%s", path);
    fputs(text, fp);
    cr_assert_eq(fclose(fp), 0, "%s", path);
}

char *cf_dir_get(const char *path)
{
    char *text;
    size_t len;
    cr_assert_eq(cf_file_read(path, 1 << 24, &text, &len), CF_FILE_OK, "%s", path);
    return text;
}

int cf_dir_count(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

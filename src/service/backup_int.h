/*
 * backup_int.h: what backup.c (making, listing, checking) shares with restore.c (restoring)
 * and backup_epoch.c (wiping epoch keys for disposal). Private to src/service/.
 */
#ifndef MNVAULT_BACKUP_INT_H
#define MNVAULT_BACKUP_INT_H

#include "mnvault/backup.h"

#define BACKUP_SUBJECT_SIZE 48

/* Remember path and errno in diag; returns MNV_ERR_IO. */
enum mnv_err backup_io_fail(struct mnv_diag *diag, const char *path, int e);

/* "backup:<32 hex>", the audit subject of one backup file; returns out. */
char *backup_subject_of(char out[BACKUP_SUBJECT_SIZE], const unsigned char id[BACKUPFILE_ID_LEN]);

/* A header without the pointers into the reader (which does not outlive the call). */
void backup_header_copy(struct backupfile_header *dst, const struct backupfile_header *src);

#endif

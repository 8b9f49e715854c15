/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nullfs: the floor for the memcgfs benchmark, the plainest FUSE
 * filesystem that serves a file: libfuse3's low-level API, one file
 * ("memory.current") at its root, direct_io, hello_ll's 1 s entry and
 * attribute timeouts, no mount option of its own, the same multi-threaded
 * loop as memcgfs. Per open it renders the content into a buffer malloc'd
 * in open and freed in release, reads from it, accepts writes, and does
 * nothing else: whatever memcgfs costs above it is memcgfs's own, and
 * below it are only the kernel's and libfuse's round trips. Modelled on
 * libfuse's example/hello_ll.c. Not installed.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#ifndef FUSE_USE_VERSION
#define FUSE_USE_VERSION 35
#endif

#include <fuse_lowlevel.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NULLFS_INO_ROOT 1
#define NULLFS_INO_FILE 2
#define NULLFS_TIMEOUT 1.0	/* hello_ll's */

static const char file_name[] = "memory.current";
static const char file_text[] = "0\n";

/* What one open renders; freed in release. */
struct open_buf {
	size_t len;
	char data[];
};

static int nullfs_stat(fuse_ino_t ino, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_uid = getuid();
	st->st_gid = getgid();
	switch (ino) {
	case NULLFS_INO_ROOT:
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	case NULLFS_INO_FILE:
		st->st_mode = S_IFREG | 0644;
		st->st_nlink = 1;
		st->st_size = 0; /* like a cgroup file: size unknown */
		return 0;
	default:
		return -1;
	}
}

static void nullfs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e;

	memset(&e, 0, sizeof(e));
	if (parent == NULLFS_INO_ROOT && !strcmp(name, file_name)) {
		e.ino = NULLFS_INO_FILE;
	} else {
		fuse_reply_err(req, ENOENT);
		return;
	}
	e.attr_timeout = NULLFS_TIMEOUT;
	e.entry_timeout = NULLFS_TIMEOUT;
	nullfs_stat(e.ino, &e.attr);
	fuse_reply_entry(req, &e);
}

static void nullfs_getattr(fuse_req_t req, fuse_ino_t ino,
			   struct fuse_file_info *fi)
{
	struct stat st;

	(void)fi;
	if (nullfs_stat(ino, &st) == -1)
		fuse_reply_err(req, ENOENT);
	else
		fuse_reply_attr(req, &st, NULLFS_TIMEOUT);
}

/* Accept truncation (shell "echo x > file" opens with O_TRUNC). */
static void nullfs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr,
			   int to_set, struct fuse_file_info *fi)
{
	(void)attr;
	(void)to_set;
	nullfs_getattr(req, ino, fi);
}

struct dirbuf {
	char *p;
	size_t size;
};

static int dirbuf_add(fuse_req_t req, struct dirbuf *b, const char *name,
		      fuse_ino_t ino)
{
	struct stat st;
	size_t old = b->size;
	char *p;

	memset(&st, 0, sizeof(st));
	st.st_ino = ino;
	b->size += fuse_add_direntry(req, NULL, 0, name, NULL, 0);
	p = realloc(b->p, b->size);
	if (p == NULL)
		return -1;
	b->p = p;
	fuse_add_direntry(req, b->p + old, b->size - old, name, &st,
			  (off_t)b->size);
	return 0;
}

static void nullfs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size,
			   off_t off, struct fuse_file_info *fi)
{
	struct dirbuf b = { NULL, 0 };

	(void)fi;
	if (ino != NULLFS_INO_ROOT) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	if (dirbuf_add(req, &b, ".", ino) == -1 ||
	    dirbuf_add(req, &b, "..", NULLFS_INO_ROOT) == -1 ||
	    dirbuf_add(req, &b, file_name, NULLFS_INO_FILE) == -1) {
		free(b.p);
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if ((size_t)off < b.size) {
		size_t n = b.size - (size_t)off;

		fuse_reply_buf(req, b.p + off, n < size ? n : size);
	} else {
		fuse_reply_buf(req, NULL, 0);
	}
	free(b.p);
}

static void nullfs_open(fuse_req_t req, fuse_ino_t ino,
			struct fuse_file_info *fi)
{
	struct open_buf *buf;
	int n;

	if (ino == NULLFS_INO_ROOT) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	if (ino != NULLFS_INO_FILE) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	/* Render into a per-open buffer, as memcgfs does. */
	buf = malloc(sizeof(*buf) + sizeof(file_text));
	if (buf == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	n = snprintf(buf->data, sizeof(file_text), "%s", file_text);
	buf->len = n < 0 ? 0 : (size_t)n;
	fi->fh = (uint64_t)(uintptr_t)buf;
	fi->direct_io = 1;
	if (fuse_reply_open(req, fi) != 0)
		free(buf); /* interrupted: release will not come */
}

static void nullfs_release(fuse_req_t req, fuse_ino_t ino,
			   struct fuse_file_info *fi)
{
	(void)ino;
	free((void *)(uintptr_t)fi->fh);
	fuse_reply_err(req, 0);
}

static void nullfs_read(fuse_req_t req, fuse_ino_t ino, size_t size,
			off_t off, struct fuse_file_info *fi)
{
	const struct open_buf *buf = (const struct open_buf *)(uintptr_t)fi->fh;

	(void)ino;
	if (off < 0 || (size_t)off >= buf->len) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	if (size > buf->len - (size_t)off)
		size = buf->len - (size_t)off;
	fuse_reply_buf(req, buf->data + off, size);
}

static void nullfs_write(fuse_req_t req, fuse_ino_t ino, const char *data,
			 size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)ino;
	(void)data;
	(void)off;
	(void)fi;
	fuse_reply_write(req, size);
}

static const struct fuse_lowlevel_ops nullfs_ops = {
	.lookup = nullfs_lookup,
	.getattr = nullfs_getattr,
	.setattr = nullfs_setattr,
	.readdir = nullfs_readdir,
	.open = nullfs_open,
	.release = nullfs_release,
	.read = nullfs_read,
	.write = nullfs_write,
};

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts opts;
	struct fuse_loop_config config;
	struct fuse_session *se;
	int ret = -1;

	if (fuse_parse_cmdline(&args, &opts) != 0)
		return 1;
	if (opts.show_help) {
		printf("usage: %s [options] <mountpoint>\n\n", argv[0]);
		fuse_cmdline_help();
		fuse_lowlevel_help();
		ret = 0;
		goto out1;
	} else if (opts.show_version) {
		printf("FUSE library version %s\n", fuse_pkgversion());
		fuse_lowlevel_version();
		ret = 0;
		goto out1;
	}
	if (opts.mountpoint == NULL) {
		printf("usage: %s [options] <mountpoint>\n", argv[0]);
		printf("       %s --help\n", argv[0]);
		ret = 1;
		goto out1;
	}

	se = fuse_session_new(&args, &nullfs_ops, sizeof(nullfs_ops), NULL);
	if (se == NULL)
		goto out1;
	if (fuse_set_signal_handlers(se) != 0)
		goto out2;
	if (fuse_session_mount(se, opts.mountpoint) != 0)
		goto out3;

	fuse_daemonize(opts.foreground);

	config.clone_fd = (int)opts.clone_fd;
	/*
	 * libfuse >= 3.12 leaves max_idle_threads at UINT_MAX when the option
	 * is not given, which the old config struct rejects noisily; use the
	 * historical default instead.
	 */
	config.max_idle_threads = opts.max_idle_threads == UINT_MAX ?
					  10 : opts.max_idle_threads;
	ret = fuse_session_loop_mt(se, &config);

	fuse_session_unmount(se);
out3:
	fuse_remove_signal_handlers(se);
out2:
	fuse_session_destroy(se);
out1:
	free(opts.mountpoint);
	fuse_opt_free_args(&args);
	return ret ? 1 : 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * memcgctl plot: a recording (memcgctl record's CSV) drawn as a
 * self-contained SVG chart (see memcgctl(1)).
 */
#ifndef MEMCGFS_PLOT_H
#define MEMCGFS_PLOT_H

/**
 * plot_csv() - read the CSV at @csv_path and write the chart to @svg_path
 * ("-": standard output). Messages go to stderr, prefixed "memcgctl: plot".
 * Return: 0, or 1 (unreadable or not a recording, or the SVG not written).
 */
int plot_csv(const char *csv_path, const char *svg_path);

#endif

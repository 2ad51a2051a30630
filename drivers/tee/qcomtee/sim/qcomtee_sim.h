/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Simulated QTEE: the API other kernel test code uses.
 *
 * An instance is a complete simulated secure world: it registers a
 * "qcomtee" platform device whose platform data is a struct
 * qcomtee_transport, so the QTEE backend binds to it exactly as it binds to
 * the device the Qualcomm SCM driver registers on real hardware.
 */
#ifndef __QCOMTEE_SIM_H
#define __QCOMTEE_SIM_H

#include <linux/types.h>

#include "qcomtee_sim_fault.h"

struct platform_device;
struct qcomtee_sim;
struct qcomtee_transport;

/**
 * struct qcomtee_sim_config - knobs of a simulated QTEE instance
 * @max_objects: capacity of the secure object table, ROOT excluded
 *	(0 = default, 4096). A full table answers NOSLOTS (-93).
 * @heap_size: size of the simulated secure heap in bytes (0 = default,
 *	8 MiB). Every allocation the secure side makes is charged to it.
 * @max_apps: number of apps that may be loaded at once (0 = default, 8).
 * @version: QTEE version reported by feature 10 (0 = default, 2.0.0).
 * @allow_unbridged: accept buffers that are not inside a registered SHM
 *	bridge (default false: such buffers fail the SCM call with -EINVAL).
 */
struct qcomtee_sim_config {
	unsigned int max_objects;
	size_t heap_size;
	unsigned int max_apps;
	u32 version;
	bool allow_unbridged;
};

/**
 * struct qcomtee_sim_stats - what the simulated QTEE holds right now
 * @objects: live secure objects, ROOT excluded.
 * @ns_refs: references to kernel-hosted objects held by the secure side
 *	(sum over all held ids; the primordial object is not counted).
 * @ns_ids: distinct kernel-hosted ids held.
 * @in_flight: invocations that have not returned their final result yet.
 * @waiting: secure threads waiting for a callback response.
 * @bridges: registered SHM bridges.
 * @heap_used: bytes of the secure heap in use (payload, headers, waste).
 * @heap_total: size of the secure heap.
 * @apps: loaded apps.
 * @async_releases: kernel-object references released through async
 *	messages since the instance was created.
 * @release_callbacks: explicit RELEASE callback requests issued.
 * @callbacks: callback requests issued (all kinds).
 * @invocations: direct invocations received.
 * @pending_releases: releases queued but not yet written to the kernel.
 * @race_rewrites: rounds of slot rewriting by the racing writer so far.
 * @listeners: registered listeners (UID 87) and TA-buffer providers
 *	(UID 268).
 * @async_dirty: async areas the kernel handed back with bytes it should
 *	have zeroed, since the instance was created (0 unless the kernel is
 *	wrong).
 */
struct qcomtee_sim_stats {
	unsigned int objects;
	unsigned int ns_refs;
	unsigned int ns_ids;
	unsigned int in_flight;
	unsigned int waiting;
	unsigned int bridges;
	size_t heap_used;
	size_t heap_total;
	unsigned int apps;
	u64 async_releases;
	u64 release_callbacks;
	u64 callbacks;
	u64 invocations;
	unsigned int pending_releases;
	u64 race_rewrites;
	unsigned int listeners;
	u64 async_dirty;
};

/* QTEE version encoding used by feature 10. */
#define QCOMTEE_SIM_VERSION(major, minor, patch)			\
	((((u32)(major) & 0xff) << 22) | (((u32)(minor) & 0xff) << 12) | \
	 ((u32)(patch) & 0xfff))

/* Metadata name of the project's own test app. */
#define QCOMTEE_SIM_TESTAPP_NAME	"qcomtee_test_app"
/* Metadata name of the real skeleton TA. */
#define QCOMTEE_SIM_SKELETON_NAME	"smcinvoke_skeleton_ta64"

struct qcomtee_sim *qcomtee_sim_create(const struct qcomtee_sim_config *cfg);
void qcomtee_sim_destroy(struct qcomtee_sim *sim);
struct qcomtee_sim *qcomtee_sim_get_default(void);
struct platform_device *qcomtee_sim_pdev(struct qcomtee_sim *sim);
const struct qcomtee_transport *qcomtee_sim_transport(struct qcomtee_sim *sim);
void qcomtee_sim_get_stats(struct qcomtee_sim *sim,
			   struct qcomtee_sim_stats *stats);
bool qcomtee_sim_idle(struct qcomtee_sim *sim);
void qcomtee_sim_set_version(struct qcomtee_sim *sim, u32 version);
void qcomtee_sim_set_allow_unbridged(struct qcomtee_sim *sim, bool allow);
int qcomtee_sim_inject(struct qcomtee_sim *sim, enum qcomtee_sim_fault fault,
		       unsigned int count, int arg);
void qcomtee_sim_clear_faults(struct qcomtee_sim *sim);
unsigned int qcomtee_sim_abort_waiting(struct qcomtee_sim *sim);
ssize_t qcomtee_sim_build_app_image(const char *name, void *buf,
				    size_t size);

/**
 * struct qcomtee_sim_image - a TA image for qcomtee_sim_build_image()
 * @meta: the metadata string; NULL builds no metadata segment.
 * @strings: the first string of the metadata segment (real images have
 *	the app name there), or NULL.
 * @code: a NUL-terminated string put in an executable PT_LOAD segment
 *	(real code segments hold printf formats such as "n=0x%x"), or NULL.
 * @hash: add a hash segment (PT_NULL, MBN type 2) holding "x=y" bytes.
 * @elf32: an ELFCLASS32 EM_ARM image instead of ELFCLASS64 EM_AARCH64.
 * @no_trailer: leave the trailer out of the metadata segment.
 * @meta_segments: number of metadata segments (0 means 1; real images
 *	have exactly one).
 */
struct qcomtee_sim_image {
	const char *meta;
	const char *strings;
	const char *code;
	bool hash;
	bool elf32;
	bool no_trailer;
	unsigned int meta_segments;
};

ssize_t qcomtee_sim_build_image(const struct qcomtee_sim_image *spec,
				void *buf, size_t size);

#endif /* __QCOMTEE_SIM_H */

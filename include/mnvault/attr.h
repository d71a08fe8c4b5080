/* attr.h (base layer): compiler attributes shared by every module.
 *
 * MNV_MUST_CHECK marks a function whose result must be looked at (it can fail, or it
 * verifies something); MNV_NONNULL marks pointer arguments that must not be NULL.
 */
#ifndef MNVAULT_ATTR_H
#define MNVAULT_ATTR_H

#if defined(__GNUC__) || defined(__clang__)
#define MNV_MUST_CHECK __attribute__((warn_unused_result))
#define MNV_NONNULL(...) __attribute__((nonnull(__VA_ARGS__)))
#define MNV_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define MNV_UNUSED __attribute__((unused))
#else
#define MNV_MUST_CHECK
#define MNV_NONNULL(...)
#define MNV_PRINTF(fmt, args)
#define MNV_UNUSED
#endif

#define MNV_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif

#ifndef WOOW_CLIBPQ_SHIM_H
#define WOOW_CLIBPQ_SHIM_H
#include <libpq-fe.h>

#ifdef __linux__
#include <sys/epoll.h>
#include <errno.h>

/* epoll helpers for the driver's socket reactor (epoll_event is a packed struct on x86_64, which
   Swift cannot address field by field, so the reactor goes through these). */

static inline int woow_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

/* Arms `fd` for one readiness event (readable, or writable when `writable` is non-zero). */
static inline int woow_epoll_arm(int ep, int fd, int writable) {
    struct epoll_event event;
    event.events = (writable ? EPOLLOUT : EPOLLIN) | EPOLLONESHOT | EPOLLERR | EPOLLHUP;
    event.data.fd = fd;
    if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &event) == 0) return 0;
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &event);
}

static inline void woow_epoll_remove(int ep, int fd) {
    struct epoll_event event;
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, &event);
}

/* Waits up to `timeout_ms` and writes the ready descriptors into `fds`; returns their count. */
static inline int woow_epoll_wait(int ep, int *fds, int max, int timeout_ms) {
    struct epoll_event events[64];
    if (max > 64) max = 64;
    int count = epoll_wait(ep, events, max, timeout_ms);
    for (int i = 0; i < count; i++) fds[i] = events[i].data.fd;
    return count;
}
#endif

#endif

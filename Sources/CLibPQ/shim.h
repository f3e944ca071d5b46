#ifndef WOOW_CLIBPQ_SHIM_H
#define WOOW_CLIBPQ_SHIM_H
#include <libpq-fe.h>

#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <unistd.h>
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

/* Names the calling thread (as `top -H` and perf show it; at most 15 characters). */
static inline void woow_set_thread_name(const char *name) { prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0); }

/* An eventfd that wakes a reactor's epoll_wait when work is queued for it from another thread. */
static inline int woow_wakeup_create(int ep) {
    int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd < 0) return -1;
    struct epoll_event event;
    event.events = EPOLLIN;
    event.data.fd = fd;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &event) != 0) { close(fd); return -1; }
    return fd;
}

static inline void woow_wakeup_signal(int fd) { eventfd_write(fd, 1); }

static inline void woow_wakeup_drain(int fd) { eventfd_t value; eventfd_read(fd, &value); }

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

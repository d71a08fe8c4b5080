/*
 * flipbyte FILE OFFSET MASK: xor the byte at OFFSET of FILE with MASK (1-255), in place.
 * For the tamper tests (running it twice with the same mask restores the file). Exit 0, or
 * 2 on a usage or I/O error.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 4)
        return 2;
    long long off = atoll(argv[2]);
    int mask = atoi(argv[3]);
    int fd = open(argv[1], O_RDWR);
    unsigned char b;
    if (fd < 0 || off < 0 || mask < 1 || mask > 255 || pread(fd, &b, 1, (off_t)off) != 1)
        return 2;
    b ^= (unsigned char)mask;
    if (pwrite(fd, &b, 1, (off_t)off) != 1 || close(fd) != 0)
        return 2;
    return 0;
}

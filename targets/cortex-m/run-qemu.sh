#!/bin/sh
# Runs a bare-metal test image on an emulated board; ctest's CMAKE_CROSSCOMPILING_EMULATOR.
# usage: run-qemu.sh <qemu-board> <image.elf> [args...]
# stdout: the image's semihosting output. Exit status: the image's (main's return value); 99 after a
# fault; a hang is stopped after QEMU_TIMEOUT seconds (default 600) and reported.
board="$1"; elf="$2"; shift 2
sh_args=""
for a in "$elf" "$@"; do sh_args="$sh_args,arg=$a"; done
timeout "${QEMU_TIMEOUT:-600}" qemu-system-arm -M "$board" -display none -monitor none -serial none \
    -chardev stdio,id=sh0 -semihosting-config "enable=on,target=native,chardev=sh0$sh_args" \
    ${QEMU_EXTRA_ARGS} -kernel "$elf"
rc=$?
if [ $rc -eq 124 ]; then
    echo "*** run-qemu: $elf on $board did not finish within ${QEMU_TIMEOUT:-600} s (hang?) ***"
elif [ $rc -eq 99 ]; then
    echo "*** run-qemu: $elf on $board faulted ***"
fi
exit $rc

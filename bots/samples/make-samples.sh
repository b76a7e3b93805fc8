#!/bin/sh
# Makes the bundled media samples of dev.arena.bots.media from ffmpeg's test sources, so anyone can rebuild them:
#   bots/samples/make-samples.sh [output directory]
# Made with Debian's ffmpeg 5.1.9-0+deb12u1 (libvpx, libopus), by the two commands below:
#   ffmpeg -v error -y -f lavfi -i testsrc2=size=640x360:rate=30:duration=5 -c:v libvpx -threads 1 -b:v 1M \
#     -minrate 1M -maxrate 1M -bufsize 500k -g 60 -keyint_min 60 -deadline good -cpu-used 4 -auto-alt-ref 0 \
#     -lag-in-frames 0 -error-resilient 1 -pix_fmt yuv420p -fflags +bitexact -map_metadata -1 sample-vp8.ivf
#   ffmpeg -v error -y -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=5" \
#     -f lavfi -i "sine=frequency=660:sample_rate=48000:duration=5" -filter_complex "[0:a][1:a]amerge=inputs=2" \
#     -c:a libopus -b:a 48k -vbr off -frame_duration 20 -application audio -ar 48000 -ac 2 \
#     -fflags +bitexact -map_metadata -1 sample-opus.ogg
# Video: shaped like a WebRTC sender's stream (constant bitrate, no look-ahead, no hidden alt-ref frames, a keyframe
# every 2 s at 30 fps); testsrc2 moves and has detail, so it does not compress to nothing: 150 frames, ~990 kbit/s.
# Audio: 440 Hz left, 660 Hz right, constant 48 kbit/s in 20 ms packets.
# Reproducible: one encoder thread, the "good" deadline (libvpx's realtime deadline adapts to the machine's speed)
# and +bitexact make the same bytes on every run.
set -eu
out="${1:-$(dirname "$0")/../src/main/resources/dev/arena/bots/media}"
mkdir -p "$out"
ffmpeg -version | head -1
ffmpeg -v error -y -f lavfi -i testsrc2=size=640x360:rate=30:duration=5 -c:v libvpx -threads 1 -b:v 1M \
  -minrate 1M -maxrate 1M -bufsize 500k -g 60 -keyint_min 60 -deadline good -cpu-used 4 -auto-alt-ref 0 \
  -lag-in-frames 0 -error-resilient 1 -pix_fmt yuv420p -fflags +bitexact -map_metadata -1 "$out/sample-vp8.ivf"
ffmpeg -v error -y -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=5" \
  -f lavfi -i "sine=frequency=660:sample_rate=48000:duration=5" -filter_complex "[0:a][1:a]amerge=inputs=2" \
  -c:a libopus -b:a 48k -vbr off -frame_duration 20 -application audio -ar 48000 -ac 2 \
  -fflags +bitexact -map_metadata -1 "$out/sample-opus.ogg"
ls -l "$out/sample-vp8.ivf" "$out/sample-opus.ogg"

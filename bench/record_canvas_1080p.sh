#!/bin/bash
# Benchmark: a live canvas-only 1920x1080 recording at 30 fps from the window, as a user makes it.
#
# usage: bash bench/record_canvas_1080p.sh [BUILD_DIR] [SECONDS] [--paused]
# Runs ganvas under Xvfb at 1280x720 (training running unless --paused), unfolds the Recording panel
# with the mouse, picks canvas only at 1920x1080 and 30 fps, records for SECONDS (default 10), and
# prints frames written against frames due (SECONDS x 30). Needs xvfb-run, xdotool, ffprobe and
# ImageMagick's import (a screenshot of the panel while recording is left in the output folder).
# The clicks are at the panel's place at 1280x720: right of the canvas, at the window's bottom;
# PANEL_X=8 puts them where builds before the panel moved off the canvas had it (bottom left).
set -euo pipefail
x=$(( ${PANEL_X:-868} - 868 ))
build=$(realpath "${1:-build}")
seconds=${2:-10}
paused=${3:-}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/ganvas-record-bench.XXXXXX)
cat > "$work/run.sh" <<INNER
#!/bin/bash
set -euo pipefail
x=$x
cd "$work"
export XDG_CONFIG_HOME="$work/config"   # a fresh layout: the panel folded in its place
"$build/gan/ganvas" view --data-dir "$repo/data/mnist" $paused > "$work/ganvas.log" 2>&1 &
pid=\$!
for i in \$(seq 100); do xdotool search --name ganvas > /dev/null 2>&1 && break; sleep 0.2; done
sleep 3
xdotool mousemove \$((878 + x)) 702 click 1; sleep 1            # unfold the Recording panel
xdotool mousemove \$((995 + x)) 603 click 1; sleep 0.5          # canvas only (its size is 1920x1080 unless changed)
xdotool mousemove \$((935 + x)) 649 keydown ctrl click 1 keyup ctrl; sleep 0.3   # fps: type 30
xdotool key ctrl+a; xdotool type 30; xdotool key Return; sleep 0.5
xdotool mousemove \$((905 + x)) 695 click 1                      # Record
start=\$(date +%s.%N)
sleep $((seconds - 1)).5
import -window root "$work/recording.png"
sleep 0.4
xdotool click 1                                        # Stop, at the same spot
end=\$(date +%s.%N)
sleep 2
kill \$pid; wait \$pid || true
echo "\$start \$end" > "$work/times"
INNER
chmod +x "$work/run.sh"
xvfb-run -a -s "-screen 0 1280x720x24" "$work/run.sh"
video=$(ls "$work"/out/ganvas-*.mp4)
read -r start end < "$work/times"
written=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames,width,height -of csv=p=0 "$video")
echo "video: $video ($written: width,height,frames)"
python3 - "$start" "$end" "${written##*,}" <<'PY'
import sys
start, end, frames = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
due = round((end - start) * 30)
print(f"recorded {end - start:.1f} s at 30 fps: {frames} frames written of {due} due ({100 * frames / due:.0f} %)")
PY
echo "screenshot while recording: $work/recording.png"

#!/bin/sh
# /init of the cirros-nebula initramfs: report what the cloud gave this guest on the serial console,
# then stay up. PID 1 must never exit.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for module in $(cat /etc/modules.order); do
  insmod "/lib/modules/$module" 2>/dev/null
done

echo "=============================================="
echo "  cirros-nebula: a tiny Nebula guest"
echo "  kernel $(uname -r)"
echo "=============================================="

find_config_drive() {
  dev=$(findfs LABEL=config-2 2>/dev/null)
  if [ -n "$dev" ] && mount -o ro "$dev" /mnt/config 2>/dev/null; then
    return 0
  fi
  for dev in /dev/sr0 /dev/sr1 /dev/vdb /dev/vdc /dev/vdd /dev/sdb /dev/sdc /dev/hdc /dev/hdd /dev/vda; do
    [ -b "$dev" ] || continue
    if mount -o ro "$dev" /mnt/config 2>/dev/null; then
      [ -f /mnt/config/openstack/latest/meta_data.json ] && return 0
      umount /mnt/config
    fi
  done
  return 1
}

mkdir -p /mnt/config
tries=0
found=0
# Block devices appear shortly after their drivers load.
while [ $tries -lt 5 ]; do
  if find_config_drive; then found=1; break; fi
  tries=$((tries + 1))
  sleep 1
done

hostname_value=cirros-nebula
if [ $found = 1 ]; then
  echo "config drive: found ($dev)"
  meta=/mnt/config/openstack/latest/meta_data.json
  name=$(sed -n 's/.*"hostname": *"\([^"]*\)".*/\1/p' "$meta")
  [ -n "$name" ] && hostname_value=$name
  keys=$(sed -n 's/.*"public_keys": *{\([^}]*\)}.*/\1/p' "$meta")
  if [ -n "$keys" ]; then
    echo "$keys" | sed 's/", *"/"\n"/g' | sed -n 's/^ *"[^"]*": *"\(.*\)" *$/\1/p' | sed 's/\\n$//' | \
      while read -r key; do echo "ssh-key: $key"; done
  else
    echo "ssh-key: (none)"
  fi
  if [ -f /mnt/config/openstack/latest/user_data ]; then
    echo "----- user_data -----"
    cat /mnt/config/openstack/latest/user_data
    echo ""
    echo "----- end user_data -----"
  else
    echo "user_data: (none)"
  fi
else
  echo "config drive: none"
fi
hostname "$hostname_value"
echo "hostname: $(hostname)"

if [ -e /sys/class/net/eth0 ]; then
  ip link set lo up
  ip link set eth0 up
  udhcpc -i eth0 -n -q -t 3 -T 1 -s /etc/udhcpc.script >/dev/null 2>&1
  echo "eth0: $(ip -4 -o addr show dev eth0 | sed -n 's/.*inet \([0-9.\/]*\).*/\1/p')"
fi

# Disks the guest has now (loop and ram devices are the kernel's own, not the cloud's).
disk_names() {
  for path in /sys/block/*; do
    name=${path##*/}
    case $name in loop*|ram*|'*') continue ;; esac
    echo -n "$name "
  done
}

# A hot-plugged volume (server add volume) shows on the console the cloud can read.
# $known: the disks at boot, read before "boot complete" so a disk plugged after that line is "added".
watch_disks() {
  while true; do
    sleep 1
    now=" $(disk_names)"
    for name in $now; do
      case "$known" in *" $name "*) ;; *)
        echo "cirros-nebula: disk added: $name $(( $(cat /sys/block/$name/size 2>/dev/null || echo 0) * 512 )) bytes" ;;
      esac
    done
    for name in $known; do
      case "$now" in *" $name "*) ;; *) echo "cirros-nebula: disk removed: $name" ;; esac
    done
    known=$now
  done
}

known=" $(disk_names)"
echo "cirros-nebula: disks:$known"
echo "cirros-nebula: boot complete, up $(cut -d' ' -f1 /proc/uptime) s"
watch_disks &
while true; do
  sleep 3600
done

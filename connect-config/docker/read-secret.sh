# Sourced by the container entrypoints (bash): read_secret FILE NAME prints the secret held in FILE (a
# compose secret), or stops the container with a clear message when it is unreadable, empty or still a
# change-me placeholder of .env.example. NAME is the .env variable the user has to set.
read_secret() {
  local file=$1 name=$2 value
  [ -r "$file" ] || { echo "cannot read the secret file $file (set $name in .env)" >&2; exit 1; }
  value=$(cat "$file")
  case "$value" in
    ""|change-me*)
      echo "set $name in .env to a real password (it is empty or still change-me...)" >&2
      exit 1 ;;
  esac
  printf '%s' "$value"
}

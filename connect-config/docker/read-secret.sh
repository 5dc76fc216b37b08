# Sourced by the container entrypoints (bash).
#
# read_secret FILE NAME prints the secret held in FILE (a compose secret), or stops the container with a
# clear message when it is unreadable, empty, still a change-me placeholder of .env.example, or shorter
# than 12 characters (the minimum .env.example promises). NAME is the .env variable the user has to set.
# Messages name the variable, never the value.
#
# keyset_files DIR prints "<keyset> <file>" for every pii-<keyset>.json in DIR (the keys service makes one per
# keyset the dataset definitions name), or stops the container when there is none.
#
# write_property_file FILE KEY VALUE writes a one-key Java properties file, owner-only, that
# Properties.load (Kafka's FileConfigProvider) reads back as VALUE: backslashes and leading whitespace escaped.
read_secret() {
  local file=$1 name=$2 value
  [ -r "$file" ] || { echo "cannot read the secret file $file (set $name in .env)" >&2; exit 1; }
  value=$(cat "$file")
  case "$value" in
    ""|change-me*)
      echo "set $name in .env to a real password (it is empty or still change-me...)" >&2
      exit 1 ;;
  esac
  if [ "${#value}" -lt 12 ]; then
    echo "$name is shorter than 12 characters: set a longer password in .env" >&2
    exit 1
  fi
  case "$value" in
    *$'\n'*|*$'\r'*)
      echo "$name holds a line break: set a password on one line in .env" >&2
      exit 1 ;;
  esac
  printf '%s' "$value"
}

write_property_file() {
  local file=$1 key=$2 value=$3 escaped
  escaped=${value//\\/\\\\}
  # Properties.load skips whitespace before a value: keep a leading one as a "\ " escape.
  case "$escaped" in
    [[:space:]]*) escaped="\\$escaped" ;;
  esac
  ( umask 077 && printf '%s=%s\n' "$key" "$escaped" > "$file" )
}

keyset_files() {
  local dir=$1 file name found=0
  for file in "$dir"/pii-*.json; do
    [ -e "$file" ] || break
    name=$(basename "$file" .json)
    printf '%s %s\n' "${name#pii-}" "$file"
    found=1
  done
  [ "$found" = 1 ] || { echo "no keyset (pii-<keyset>.json) in $dir: the keys service makes them" >&2; exit 1; }
}

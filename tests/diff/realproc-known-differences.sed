# A frozen process is stopped by SIGSTOP on memcgfs (T), parked by the freezer on a kernel (S).
s/^(parent|child) state: T$/\1 state: S/

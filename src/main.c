/* main.c: placeholder until the application lands */
#include "config.h"
#include <adwaita.h>
int
main (int    argc,
      char **argv)
{
  return 0;
}

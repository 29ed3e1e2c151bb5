"""Documents → an audio bulletin: the spoken script, text for listening and espeak-ng speech."""
